package org.fedcredit.modelzoo.scorecard;

/**
 * How log-odds become points. Sign convention: higher score = lower risk. The logistic regression
 * models {@code logit = ln(P(bad)/P(good)) = b + Σ w_j·WOE_j} (bad = event = {@code y = 1}); the
 * score is {@code offset − factor·logit = offset + factor·ln(good:bad odds)}, with {@code factor =
 * PDO / ln 2} and {@code offset = baseScore − factor·ln(baseOdds)}: odds of {@code baseOdds}:1
 * (good:bad) score {@code baseScore}, and every doubling of the odds adds {@code pdo} points.
 *
 * <p>Defaults ({@link #defaults()}): 600 points at 50:1, 20 points to double the odds.
 *
 * @param pdo points to double the odds, &gt; 0
 * @param baseScore score at the base odds
 * @param baseOdds good:bad odds that score {@code baseScore}, &gt; 0
 */
public record ScorecardScaling(double pdo, double baseScore, double baseOdds) {

  public static final double DEFAULT_PDO = 20;
  public static final double DEFAULT_BASE_SCORE = 600;
  public static final double DEFAULT_BASE_ODDS = 50;

  public ScorecardScaling {
    if (!(pdo > 0) || !Double.isFinite(pdo)) {
      throw new ScorecardException("PDO must be a positive number of points, got " + pdo);
    }
    if (!Double.isFinite(baseScore)) {
      throw new ScorecardException("the base score must be finite, got " + baseScore);
    }
    if (!(baseOdds > 0) || !Double.isFinite(baseOdds)) {
      throw new ScorecardException("the base odds must be positive (good:bad), got " + baseOdds);
    }
  }

  /** 600 points at 50:1 good:bad odds, PDO 20. */
  public static ScorecardScaling defaults() {
    return new ScorecardScaling(DEFAULT_PDO, DEFAULT_BASE_SCORE, DEFAULT_BASE_ODDS);
  }

  /** {@code PDO / ln 2}. */
  public double factor() {
    return pdo / Math.log(2);
  }

  /** {@code baseScore − factor·ln(baseOdds)}. */
  public double offset() {
    return baseScore - factor() * Math.log(baseOdds);
  }

  /** The score of a model logit {@code ln(P(bad)/P(good))}. */
  public double score(double logit) {
    return offset() - factor() * logit;
  }

  /**
   * The points every characteristic carries for the intercept and offset, {@code (offset −
   * factor·b) / n}. In a vertical deployment the bank (which holds {@code b}) computes this and
   * gives it to each party that builds a {@link PartyScorecard}.
   *
   * @param intercept the LR intercept {@code b}
   * @param characteristics {@code n}, all characteristics of the model across parties, ≥ 1
   */
  public double basePointsPerCharacteristic(double intercept, int characteristics) {
    if (characteristics < 1) {
      throw new ScorecardException("a scorecard needs at least one characteristic");
    }
    return (offset() - factor() * intercept) / characteristics;
  }
}
