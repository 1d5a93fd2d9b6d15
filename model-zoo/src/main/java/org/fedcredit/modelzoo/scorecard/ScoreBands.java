package org.fedcredit.modelzoo.scorecard;

import java.util.List;

/**
 * Risk grades by score, best first: {@code names[i]} for scores {@code ≥ lowerBounds[i]} (the first
 * that applies), the last name for anything lower.
 *
 * <p>Default ({@link #defaults()}): A ≥ 660, B ≥ 620, C ≥ 580, D ≥ 540, E below (with the default
 * scaling these are 400:1, 100:1, 25:1 and 6.25:1 good:bad odds: each band is two PDOs wide).
 *
 * @param names band names, best first, at least 2
 * @param lowerBounds {@code names.size() − 1} strictly decreasing lower bounds
 */
public record ScoreBands(List<String> names, List<Double> lowerBounds) {

  public ScoreBands {
    names = List.copyOf(names);
    lowerBounds = List.copyOf(lowerBounds);
    if (names.size() < 2 || lowerBounds.size() != names.size() - 1) {
      throw new ScorecardException(
          names.size()
              + " band names need "
              + (names.size() - 1)
              + " lower bounds (at least 2 bands), got "
              + lowerBounds.size());
    }
    for (int i = 0; i < lowerBounds.size(); i++) {
      if (!Double.isFinite(lowerBounds.get(i))
          || (i > 0 && !(lowerBounds.get(i) < lowerBounds.get(i - 1)))) {
        throw new ScorecardException(
            "band lower bounds " + lowerBounds + " must be finite and strictly decreasing");
      }
    }
  }

  public static ScoreBands defaults() {
    return new ScoreBands(List.of("A", "B", "C", "D", "E"), List.of(660.0, 620.0, 580.0, 540.0));
  }

  /** The band of {@code score}. */
  public String band(double score) {
    for (int i = 0; i < lowerBounds.size(); i++) {
      if (score >= lowerBounds.get(i)) {
        return names.get(i);
      }
    }
    return names.get(names.size() - 1);
  }
}
