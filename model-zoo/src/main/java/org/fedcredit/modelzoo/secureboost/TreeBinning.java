package org.fedcredit.modelzoo.secureboost;

import java.util.Arrays;
import java.util.List;

/**
 * Quantile binning of one party's numeric features for SecureBoost, fitted on training rows and
 * applied unchanged to any later rows.
 *
 * <p>For each feature the non-missing training values are sorted and the values at the quantiles
 * {@code i/maxBins} (i = 1 … maxBins−1) become upper bin edges (duplicates removed, the maximum
 * excluded so that the last bin is never empty): a value {@code v} falls in the first bin whose
 * edge is {@code ≥ v}, or in the last bin. A feature with at most {@code maxBins} distinct values
 * gets one bin per value. NaN maps to {@link BinnedTable#MISSING}. The edges never leave the party.
 */
public final class TreeBinning {

  /** The default maximum number of bins per feature. */
  public static final int DEFAULT_MAX_BINS = 32;

  private final List<String> featureNames;
  private final double[][] edges;

  private TreeBinning(List<String> featureNames, double[][] edges) {
    this.featureNames = List.copyOf(featureNames);
    this.edges = edges;
  }

  /**
   * Binning with given edges, e.g. read back from a model shard.
   *
   * @param edges per feature, strictly increasing finite upper bin edges
   * @throws IllegalArgumentException if the sizes differ or edges are not finite and increasing
   */
  public static TreeBinning of(List<String> featureNames, List<double[]> edges) {
    if (edges.size() != featureNames.size()) {
      throw new IllegalArgumentException(
          edges.size() + " edge lists for " + featureNames.size() + " features");
    }
    double[][] e = new double[edges.size()][];
    for (int j = 0; j < e.length; j++) {
      e[j] = edges.get(j).clone();
      for (int k = 0; k < e[j].length; k++) {
        if (!Double.isFinite(e[j][k]) || (k > 0 && !(e[j][k - 1] < e[j][k]))) {
          throw new IllegalArgumentException(
              "feature '"
                  + featureNames.get(j)
                  + "': edges "
                  + Arrays.toString(e[j])
                  + " are not finite and strictly increasing");
        }
      }
    }
    return new TreeBinning(featureNames, e);
  }

  /** The upper bin edges of feature {@code j} (a copy). */
  public double[] edges(int j) {
    return edges[j].clone();
  }

  /**
   * Fits the bin edges on {@code rows[row][feature]}.
   *
   * @throws IllegalArgumentException if {@code maxBins < 2} or a row has the wrong width
   */
  public static TreeBinning fit(List<String> featureNames, double[][] rows, int maxBins) {
    if (maxBins < 2) {
      throw new IllegalArgumentException("maxBins must be at least 2, was " + maxBins);
    }
    int d = featureNames.size();
    double[][] edges = new double[d][];
    for (int j = 0; j < d; j++) {
      double[] values = column(rows, j, d);
      Arrays.sort(values);
      int m = values.length;
      double[] distinct = Arrays.stream(values).distinct().toArray();
      double[] cuts;
      if (distinct.length <= maxBins) {
        cuts = distinct;
      } else {
        cuts = new double[maxBins - 1];
        for (int i = 1; i < maxBins; i++) {
          cuts[i - 1] = values[(int) ((long) i * m / maxBins)];
        }
        cuts = Arrays.stream(cuts).distinct().toArray();
      }
      // The maximum is not an edge: values above every edge fall in the last bin.
      double max = m == 0 ? Double.NaN : values[m - 1];
      edges[j] = Arrays.stream(cuts).filter(c -> c < max).toArray();
    }
    return new TreeBinning(featureNames, edges);
  }

  private static double[] column(double[][] rows, int j, int d) {
    return Arrays.stream(rows)
        .peek(
            r -> {
              if (r.length != d) {
                throw new IllegalArgumentException(
                    "a row has " + r.length + " values, expected " + d);
              }
            })
        .mapToDouble(r -> r[j])
        .filter(v -> !Double.isNaN(v))
        .toArray();
  }

  /** The number of bins of feature {@code j} (edges + 1). */
  public int bins(int j) {
    return edges[j].length + 1;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /** Bins {@code rows[row][feature]} with the fitted edges. */
  public BinnedTable apply(double[][] rows) {
    int d = featureNames.size();
    int[][] out = new int[rows.length][d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        double v = rows[i][j];
        if (Double.isNaN(v)) {
          out[i][j] = BinnedTable.MISSING;
        } else {
          int pos = Arrays.binarySearch(edges[j], v);
          out[i][j] = pos >= 0 ? pos : -pos - 1;
        }
      }
    }
    int[] counts = new int[d];
    for (int j = 0; j < d; j++) {
      counts[j] = bins(j);
    }
    return new BinnedTable(featureNames, counts, out);
  }
}
