package org.fedcredit.modelzoo.binning;

/**
 * How the bank turns per-bin counts into WOE and IV. Event = {@code y = 1} (default, "bad"),
 * non-event = {@code y = 0} ("good"); {@code WOE = ln(%non-events / %events)}, so a higher WOE
 * means lower risk.
 *
 * <p>Defaults ({@link #defaults()}): smoothing 0.5, at least 5 training rows per bin, no monotone
 * merge.
 *
 * <ul>
 *   <li><b>Small bins</b>: a regular bin with fewer than {@code minBinRows} training rows (empty
 *       bins included) is merged into its adjacent regular bin with fewer rows (the left one on a
 *       tie), repeatedly, before anything else. A WOE returned for a bin of one row would be that
 *       row's label, so this is a privacy rule as much as a statistical one. The missing bin is
 *       never merged: if it has rows but fewer than {@code minBinRows}, its WOE is withheld (set to
 *       0, neutral) and it adds nothing to the IV; an empty missing bin also gets WOE 0.
 *   <li><b>Smoothing</b>: in a bin with zero events or zero non-events, {@code smoothing} is added
 *       to both counts of that bin (the column totals stay the true ones), so that its WOE is
 *       finite.
 *   <li><b>Monotone</b>: adjacent regular bins (in the owner's value order) are then merged by pool
 *       adjacent violators until the WOE is strictly monotone, once increasing and once decreasing;
 *       the direction that keeps more bins wins (then the higher IV, then increasing).
 * </ul>
 *
 * @param smoothing added to both counts of a bin with a zero count, &gt; 0
 * @param minBinRows smallest bin whose WOE is revealed, ≥ 1
 * @param monotone whether to merge regular bins until the WOE is monotone
 */
public record WoeRules(double smoothing, int minBinRows, boolean monotone) {

  public static final double DEFAULT_SMOOTHING = 0.5;
  public static final int DEFAULT_MIN_BIN_ROWS = 5;

  public WoeRules {
    if (!(smoothing > 0) || !Double.isFinite(smoothing)) {
      throw new BinningException("WOE smoothing must be a positive number, got " + smoothing);
    }
    if (minBinRows < 1) {
      throw new BinningException("minBinRows must be at least 1, got " + minBinRows);
    }
  }

  public static WoeRules defaults() {
    return new WoeRules(DEFAULT_SMOOTHING, DEFAULT_MIN_BIN_ROWS, false);
  }

  public WoeRules withMonotone(boolean m) {
    return new WoeRules(smoothing, minBinRows, m);
  }

  public WoeRules withMinBinRows(int rows) {
    return new WoeRules(smoothing, rows, monotone);
  }
}
