package org.fedcredit.modelzoo.binning;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fitted bins of one column: immutable cut points, a bin index for any value, and a label per
 * bin that a credit committee can read.
 *
 * <p>With {@code k} cut points there are {@code k + 1} regular bins, numbered {@code 0..k} in value
 * order; bin {@code i} is {@code (cut[i−1], cut[i]]}: a cut point is the inclusive upper bound of
 * its bin, as in FATE's binning ({@code x ≤ split point}) and pandas' {@code cut}; the first bin is
 * open below, the last open above. The side matters on discrete columns, whose quantile cuts fall
 * on observed values: on default_credit's repayment-status columns, putting a tied value in the
 * lower bin (this convention) gave the scorecard's WOE-LR a hold-out AUC ~0.003 higher than the
 * other side (docs/benchmarks.md). The <b>missing bin</b> ({@link Double#NaN}) is always the last
 * index {@code k + 1}, whether or not training had missing values. An indicator column has the
 * single cut 0.5, bins labelled {@code "0"} and {@code "1"}, and rejects other values.
 *
 * @param column the column name at its owner
 * @param cutPoints finite, strictly increasing
 * @param indicator whether this is a 0/1 indicator column
 */
public record ColumnBins(String column, List<Double> cutPoints, boolean indicator) {

  /** Label of the missing bin. */
  public static final String MISSING_LABEL = "missing";

  public ColumnBins {
    Objects.requireNonNull(column, "column");
    cutPoints = List.copyOf(cutPoints);
    checkCuts("column '" + column + "'", cutPoints);
    if (indicator && !cutPoints.equals(List.of(0.5))) {
      throw new BinningException(
          "indicator column '" + column + "' must have the single cut point 0.5, not " + cutPoints);
    }
  }

  /** Bins of a 0/1 indicator column. */
  public static ColumnBins indicator(String column) {
    return new ColumnBins(column, List.of(0.5), true);
  }

  static void checkCuts(String where, List<Double> cuts) {
    for (int k = 0; k < cuts.size(); k++) {
      Double c = cuts.get(k);
      if (c == null || !Double.isFinite(c) || (k > 0 && !(cuts.get(k - 1) < c))) {
        throw new BinningException(
            where + ": cut points " + cuts + " must be finite and strictly increasing");
      }
    }
  }

  /** Number of regular (non-missing) bins: cut points + 1. */
  public int regularBins() {
    return cutPoints.size() + 1;
  }

  /** All bins, the missing bin included. */
  public int bins() {
    return regularBins() + 1;
  }

  /** Index of the missing bin (the last). */
  public int missingBin() {
    return regularBins();
  }

  /**
   * The bin of {@code x}: the number of cut points {@code < x}, or {@link #missingBin()} for NaN.
   *
   * @throws BinningException for an infinite value, or a value other than 0/1 in an indicator
   */
  public int binOf(double x) {
    if (Double.isNaN(x)) {
      return missingBin();
    }
    if (Double.isInfinite(x)) {
      throw new BinningException("column '" + column + "': infinite value " + x);
    }
    if (indicator && x != 0 && x != 1) {
      throw new BinningException(
          "column '" + column + "' is a 0/1 indicator but has the value " + x);
    }
    int lo = 0;
    int hi = cutPoints.size();
    while (lo < hi) { // first cut >= x
      int mid = (lo + hi) >>> 1;
      if (cutPoints.get(mid) < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The bin of every value. */
  public int[] apply(double[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = binOf(values[i]);
    }
    return out;
  }

  /** Human-readable label of bin {@code b}, e.g. {@code "(1200, 3400]"} or {@code "missing"}. */
  public String label(int b) {
    Objects.checkIndex(b, bins());
    if (b == missingBin()) {
      return MISSING_LABEL;
    }
    if (indicator) {
      return b == 0 ? "0" : "1";
    }
    String lo = b == 0 ? "(-inf" : "(" + format(cutPoints.get(b - 1));
    String hi = b == cutPoints.size() ? "+inf)" : format(cutPoints.get(b)) + "]";
    return lo + ", " + hi;
  }

  /** The labels of all bins, in index order. */
  public List<String> labels() {
    List<String> out = new ArrayList<>(bins());
    for (int b = 0; b < bins(); b++) {
      out.add(label(b));
    }
    return List.copyOf(out);
  }

  /**
   * These bins with groups of adjacent regular bins merged.
   *
   * @param groupOfBin for each bin, its group: non-decreasing over the regular bins starting at 0
   *     and rising by at most 1, the missing bin alone in the last group
   * @throws BinningException if the grouping is not of that shape
   */
  public ColumnBins merge(int[] groupOfBin) {
    int groups = checkGrouping(column, groupOfBin, regularBins());
    if (indicator && groups == 3) {
      return this;
    }
    List<Double> kept = new ArrayList<>();
    for (int b = 1; b < regularBins(); b++) {
      if (groupOfBin[b] != groupOfBin[b - 1]) {
        kept.add(cutPoints.get(b - 1));
      }
    }
    return new ColumnBins(column, kept, false);
  }

  /** Validates a grouping (see {@link #merge}) and returns the number of groups. */
  static int checkGrouping(String column, int[] groupOfBin, int regularBins) {
    if (groupOfBin.length != regularBins + 1) {
      throw new BinningException(
          "column '"
              + column
              + "': the grouping covers "
              + groupOfBin.length
              + " bins, the column has "
              + (regularBins + 1));
    }
    if (groupOfBin[0] != 0) {
      throw new BinningException("column '" + column + "': the first bin must be in group 0");
    }
    for (int b = 1; b < regularBins; b++) {
      int step = groupOfBin[b] - groupOfBin[b - 1];
      if (step != 0 && step != 1) {
        throw new BinningException(
            "column '"
                + column
                + "': only adjacent bins can be merged, but bin "
                + b
                + " is in group "
                + groupOfBin[b]
                + " after group "
                + groupOfBin[b - 1]);
      }
    }
    int missing = groupOfBin[regularBins];
    if (missing != groupOfBin[regularBins - 1] + 1) {
      throw new BinningException(
          "column '" + column + "': the missing bin must be alone in the last group");
    }
    return missing + 1;
  }

  private static String format(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
