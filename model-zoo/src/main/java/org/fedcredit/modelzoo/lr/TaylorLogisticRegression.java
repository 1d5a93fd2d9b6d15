package org.fedcredit.modelzoo.lr;

/**
 * The centralised reference: the same Taylor-loss mini-batch gradient descent as {@link
 * VerticalLogisticRegression} (same batches from the same seed, same update, intercept last), on
 * all columns in one place and in double precision. Used to check that the federated run loses
 * nothing but fixed-point rounding.
 */
public final class TaylorLogisticRegression {

  private TaylorLogisticRegression() {}

  /**
   * @param x row-major features, all parties' columns side by side
   * @param y 0/1 labels
   * @return weights, one per column, then the intercept
   */
  public static double[] fit(double[][] x, int[] y, VerticalLrConfig config) {
    int d = x[0].length;
    double[] w = new double[d + 1];
    double previous = Double.NaN;
    for (int e = 0; e < config.epochs(); e++) {
      double loss = 0;
      for (int[] rows : Batches.ofEpoch(x.length, config.batchSize(), config.seed(), e)) {
        double[] g = new double[d + 1];
        for (int i : rows) {
          double u = w[d];
          for (int j = 0; j < d; j++) {
            u += w[j] * x[i][j];
          }
          double yp = 2.0 * y[i] - 1;
          loss += Math.log(2) - 0.5 * yp * u + 0.125 * u * u;
          double dd = 0.25 * u - 0.5 * yp;
          for (int j = 0; j < d; j++) {
            g[j] += dd * x[i][j];
          }
          g[d] += dd;
        }
        double lr = config.learningRate(e);
        for (int j = 0; j <= d; j++) {
          double penalty = j < d ? config.l2() * w[j] : 0;
          w[j] -= lr * (g[j] / rows.length + penalty);
        }
      }
      double mean = loss / x.length;
      if (config.tolerance() > 0
          && !Double.isNaN(previous)
          && Math.abs(previous - mean) < config.tolerance()) {
        break;
      }
      previous = mean;
    }
    return w;
  }
}
