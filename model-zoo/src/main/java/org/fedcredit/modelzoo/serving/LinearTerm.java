package org.fedcredit.modelzoo.serving;

import java.util.Objects;

/**
 * One model column's term in a linear margin (LR or scorecard), with what exact linear SHAP needs:
 * the attribution of the column is {@code weight · (value − trainingMean)}.
 *
 * @param modelColumn the model column (e.g. {@code income__bin3} or a WOE column)
 * @param sourceColumn the raw column it is computed from (sum attributions per raw column)
 * @param weight the LR weight
 * @param value the column's value for the scored row, after the party's preprocessing or WOE
 * @param trainingMean the column's mean over the training rows (same transform)
 */
public record LinearTerm(
    String modelColumn, String sourceColumn, double weight, double value, double trainingMean) {

  public LinearTerm {
    Objects.requireNonNull(modelColumn, "modelColumn");
    Objects.requireNonNull(sourceColumn, "sourceColumn");
  }

  /** {@code weight · value}, the term's share of the margin. */
  public double term() {
    return weight * value;
  }

  /** The linear SHAP value {@code weight · (value − trainingMean)}. */
  public double attribution() {
    return weight * (value - trainingMean);
  }
}
