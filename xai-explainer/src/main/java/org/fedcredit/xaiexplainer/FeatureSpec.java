package org.fedcredit.xaiexplainer;

import java.util.Arrays;

/**
 * What recourse may do with one characteristic of the applicant's row.
 *
 * @param name the characteristic's key, e.g. {@code bank:credit_utilization}
 * @param actionable whether the applicant can change it; an immutable one is never changed
 * @param min the smallest allowed value
 * @param max the largest allowed value
 * @param direction the allowed direction of change from the applicant's value
 * @param integer whether only whole values are allowed (counts, terms)
 * @param scale the cost of a change of 1 in cost units, as a divisor (e.g. the training standard
 *     deviation): a change Δ costs {@code |Δ| / scale}
 * @param candidates breakpoints where the score may jump (tree thresholds, bin cut points); the
 *     search also tries values just past each of them
 */
public record FeatureSpec(
    String name,
    boolean actionable,
    double min,
    double max,
    Direction direction,
    boolean integer,
    double scale,
    double[] candidates) {

  /** The allowed direction of a change. */
  public enum Direction {
    UP,
    DOWN,
    BOTH
  }

  public FeatureSpec {
    candidates = candidates.clone();
    if (actionable) {
      if (!(min <= max) || Double.isNaN(min) || Double.isNaN(max)) {
        throw new IllegalArgumentException(
            name + ": bounds [" + min + ", " + max + "] are empty; give min ≤ max");
      }
      if (!(scale > 0) || !Double.isFinite(scale)) {
        throw new IllegalArgumentException(
            name + ": cost scale " + scale + " must be positive (e.g. the training std)");
      }
      for (double c : candidates) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException(name + ": candidate value " + c + " is not finite");
        }
      }
    }
  }

  /** A characteristic recourse never changes (age, industry, another party's history…). */
  public static FeatureSpec immutable(String name) {
    return new FeatureSpec(name, false, 0, 0, Direction.BOTH, false, 1, new double[0]);
  }

  /** An actionable characteristic without breakpoints. */
  public static FeatureSpec actionable(
      String name, double min, double max, Direction direction, boolean integer, double scale) {
    return new FeatureSpec(name, true, min, max, direction, integer, scale, new double[0]);
  }

  /** This spec with {@code values} as breakpoints. */
  public FeatureSpec withCandidates(double... values) {
    return new FeatureSpec(name, actionable, min, max, direction, integer, scale, values);
  }

  /** The breakpoints (a copy). */
  @Override
  public double[] candidates() {
    return candidates.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSpec f
        && name.equals(f.name)
        && actionable == f.actionable
        && Double.compare(min, f.min) == 0
        && Double.compare(max, f.max) == 0
        && direction == f.direction
        && integer == f.integer
        && Double.compare(scale, f.scale) == 0
        && Arrays.equals(candidates, f.candidates);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(candidates);
  }

  @Override
  public String toString() {
    return "FeatureSpec["
        + name
        + (actionable
            ? ", ["
                + min
                + ", "
                + max
                + "], "
                + direction
                + (integer ? ", integer" : "")
                + ", scale "
                + scale
                + ", candidates "
                + Arrays.toString(candidates)
            : ", immutable")
        + "]";
  }
}
