package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Map;

/**
 * The bank's served model: from its own raw row of the application and every feature party's {@link
 * FeaturePart}, the margin {@code ln(P(default)/P(no default))}, the probability {@code
 * sigmoid(margin)} and what the explainer needs. It equals the job's batch hold-out prediction of
 * the same row (to rounding, well within 1e-9).
 */
public sealed interface BankModel extends PartyModel permits LinearBankModel, TreeBankModel {

  /** How the bank's raw columns become its model columns ({@code rawColumns()}: what it reads). */
  RowEncoder encoder();

  /** The feature parties whose parts a decision needs, in job order. */
  List<String> featureParties();

  /**
   * Scores one application.
   *
   * @param raw the bank's raw columns by name (NaN = missing)
   * @param parts the part of every feature party, by party name
   * @throws ScoringException if a part is missing, extra, of the wrong kind or does not fit the
   *     model, or a bank column is absent
   */
  BankScore score(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts);

  /**
   * {@code score(raw, parts).margin()}, the same double to the bit, without what only the
   * explanation needs: for re-scoring many candidate rows (counterfactual search).
   *
   * @throws ScoringException as {@link #score}
   */
  default double margin(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts) {
    return score(raw, parts).margin();
  }
}
