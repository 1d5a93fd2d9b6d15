package org.fedcredit.modelzoo.serving;

import java.util.Objects;
import org.fedcredit.modelzoo.scorecard.ScoreBands;
import org.fedcredit.modelzoo.scorecard.ScorecardScaling;

/**
 * How the bank of a scorecard job turns a margin into a score and a band. The score is computed
 * from the margin, {@code offset − factor·margin} ({@link ScorecardScaling#score}), exactly as the
 * job's hold-out scores; it equals the sum of the points of all characteristics up to rounding
 * (each attribute's points are {@code −w·WOE·factor + basePointsPerCharacteristic}).
 *
 * @param scaling base score, base odds, PDO
 * @param bands risk grades by score
 * @param characteristics all characteristics of the model across parties
 * @param basePointsPerCharacteristic {@code (offset − factor·intercept) / characteristics}
 */
public record ScorecardRules(
    ScorecardScaling scaling,
    ScoreBands bands,
    int characteristics,
    double basePointsPerCharacteristic) {

  public ScorecardRules {
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(bands, "bands");
  }

  /** The score and band of a margin. */
  public CardScore score(double margin) {
    double s = scaling.score(margin);
    return new CardScore(s, bands.band(s));
  }

  /**
   * A scorecard score.
   *
   * @param score {@code offset − factor·margin}; higher is lower risk
   * @param band the risk grade of the score
   */
  public record CardScore(double score, String band) {}
}
