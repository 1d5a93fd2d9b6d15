package org.fedcredit.xaiexplainer;

/**
 * Exact SHAP values of a linear model {@code f(z) = intercept + Σ_k w_k z_k} (the margin of a
 * logistic regression) under independent features (Lundberg &amp; Lee 2017, "A Unified Approach to
 * Interpreting Model Predictions", linear SHAP).
 *
 * <p>Column {@code k} contributes {@code w_k (z_k − mean_k)} and a group's φ is the sum over its
 * columns; the base value is {@code intercept + Σ_k w_k mean_k} = f(mean). Additivity {@code base +
 * Σφ = f(z)} holds up to rounding (well below 1e-9 for credit-sized inputs). Grouping one-hot
 * columns under their raw column, or a whole party under one block, is exact for a linear model:
 * the Shapley value of a coalition of players in an additive game is the sum of their values.
 *
 * <p>The means are those of the data the model's background stands for, normally the training rows
 * after the same preprocessing as {@code z}.
 */
public final class LinearShap {

  private final double intercept;
  private final double[] weights;
  private final double[] means;
  private final int[] groupOfColumn;
  private final int groupCount;
  private final double baseValue;

  /**
   * @param intercept the model's intercept (bias)
   * @param weights one weight per model column
   * @param means the background mean of each model column
   * @param groups the attribution group of each model column
   */
  public LinearShap(double intercept, double[] weights, double[] means, FeatureGroups groups) {
    this(intercept, weights, means, groups.groupOfColumn(), groups.size());
  }

  /**
   * @param intercept the model's intercept (bias)
   * @param weights one weight per model column
   * @param means the background mean of each model column
   * @param groupOfColumn the attribution group (0 … groupCount−1) of each column
   * @param groupCount the number of groups
   */
  public LinearShap(
      double intercept, double[] weights, double[] means, int[] groupOfColumn, int groupCount) {
    if (weights.length != means.length || weights.length != groupOfColumn.length) {
      throw new IllegalArgumentException(
          "LinearShap: "
              + weights.length
              + " weights, "
              + means.length
              + " means and "
              + groupOfColumn.length
              + " group numbers; give one of each per model column");
    }
    if (!Double.isFinite(intercept)) {
      throw new IllegalArgumentException("LinearShap: the intercept is " + intercept);
    }
    for (int k = 0; k < weights.length; k++) {
      if (!Double.isFinite(weights[k]) || !Double.isFinite(means[k])) {
        throw new IllegalArgumentException(
            "LinearShap: column " + k + " has weight " + weights[k] + " and mean " + means[k]);
      }
      if (groupOfColumn[k] < 0 || groupOfColumn[k] >= groupCount) {
        throw new IllegalArgumentException(
            "LinearShap: column "
                + k
                + " is in group "
                + groupOfColumn[k]
                + "; groups are 0.."
                + (groupCount - 1));
      }
    }
    this.intercept = intercept;
    this.weights = weights.clone();
    this.means = means.clone();
    this.groupOfColumn = groupOfColumn.clone();
    this.groupCount = groupCount;
    double base = intercept;
    for (int k = 0; k < weights.length; k++) {
      base += weights[k] * means[k];
    }
    this.baseValue = base;
  }

  /** {@code intercept + Σ w_k mean_k}: the expected margin. */
  public double baseValue() {
    return baseValue;
  }

  /**
   * The SHAP values of sample {@code z}.
   *
   * @param z the sample's model columns, preprocessed as in training
   */
  public ShapValues explain(double[] z) {
    if (z.length != weights.length) {
      throw new IllegalArgumentException(
          "LinearShap.explain: the sample has "
              + z.length
              + " columns, the model "
              + weights.length);
    }
    double[] phi = new double[groupCount];
    double output = intercept;
    for (int k = 0; k < z.length; k++) {
      if (!Double.isFinite(z[k])) {
        throw new IllegalArgumentException(
            "LinearShap.explain: column " + k + " is " + z[k] + "; impute before explaining");
      }
      phi[groupOfColumn[k]] += weights[k] * (z[k] - means[k]);
      output += weights[k] * z[k];
    }
    return new ShapValues(baseValue, phi, output);
  }
}
