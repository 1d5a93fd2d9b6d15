package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Maps each value to the index of its quantile bin, with cut points fitted per column on the
 * training rows; missing values get a bin of their own.
 *
 * <p>Guarantees and defaults:
 *
 * <ul>
 *   <li><b>Cut points</b> follow scikit-learn 1.2's {@code KBinsDiscretizer(strategy="quantile")},
 *       which the baselines in {@code BASELINES.md} use: the edges are the {@code 0, 1/k, …, 1}
 *       quantiles of the column's observed training values (linear interpolation, numpy's default
 *       {@code percentile}); equal edges are merged, keeping the first (scikit-learn merges edges
 *       closer than 1e-8; here only exactly equal edges merge); the cut points are the edges
 *       without the first and the last. Heavy ties therefore give fewer than {@code k} bins, and a
 *       constant column a single bin. Because quantiles interpolate, a bin can be empty on the
 *       training rows when values are sparse (two values 0 and 10 with {@code k = 4} give cuts 2.5,
 *       5, 7.5).
 *   <li><b>Bin of a value</b> {@code x}: the number of cut points {@code ≤ x} (a value equal to a
 *       cut point goes to the upper bin; values below the training minimum go to bin 0, above the
 *       maximum to the last regular bin). With {@code m = cuts + 1} regular bins they are numbered
 *       {@code 0..m−1}; the <b>missing bin</b> (NaN) is {@code m}. The missing bin always exists,
 *       even when no training value was missing, so that every hold-out value has a bin and the
 *       output columns do not depend on where values happen to be missing.
 *   <li><b>Encoding</b> {@link Encoding#ONE_HOT} (the default in {@link Preprocessing}): per input
 *       column, in input order, the 0/1 columns {@code <col>__bin0 … <col>__bin<m−1>} and {@code
 *       <col>__bin_missing}. Nothing is dropped, so each column's indicators sum to 1: they are
 *       collinear with an intercept (use regularisation, or ignore one bin when interpreting
 *       weights), and the missing-bin column is all zeros when nothing is missing. {@link
 *       Encoding#INDEX}: one column {@code <col>__bin} holding the bin index as a double.
 *   <li>Infinite values are rejected; quantiles are computed on observed (non-NaN) values only.
 * </ul>
 *
 * @param columns input column names
 * @param cuts strictly increasing cut points per column
 * @param encoding how bins are written out
 */
public record QuantileBinner(List<String> columns, List<List<Double>> cuts, Encoding encoding)
    implements FittedTransform {

  /** How the bin of a value is written to the output table. */
  public enum Encoding {
    /** One 0/1 column per bin, named {@code <col>__bin<i>} and {@code <col>__bin_missing}. */
    ONE_HOT,
    /** One column {@code <col>__bin} holding the bin index; the missing bin is the last index. */
    INDEX
  }

  /** Suffix of the missing-bin indicator in one-hot encoding. */
  public static final String MISSING_BIN_SUFFIX = "__bin_missing";

  public QuantileBinner {
    columns = List.copyOf(columns);
    List<List<Double>> copy = new ArrayList<>();
    for (List<Double> c : cuts) {
      copy.add(List.copyOf(c));
    }
    cuts = List.copyOf(copy);
    Objects.requireNonNull(encoding, "encoding");
    if (cuts.size() != columns.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + cuts.size() + " lists of cut points");
    }
    for (int j = 0; j < columns.size(); j++) {
      List<Double> c = cuts.get(j);
      for (int k = 0; k < c.size(); k++) {
        if (!Double.isFinite(c.get(k)) || (k > 0 && !(c.get(k - 1) < c.get(k)))) {
          throw new IllegalArgumentException(
              "column '"
                  + columns.get(j)
                  + "': cut points "
                  + c
                  + " are not finite and increasing");
        }
      }
    }
  }

  /**
   * Fits at most {@code bins} quantile bins per column on {@code trainingRows} of {@code table}.
   *
   * @param bins requested bins per column, at least 2
   * @throws PreprocessingException if {@code bins < 2}, a value is infinite, or a row index is out
   *     of range or repeated
   */
  public static QuantileBinner fit(
      LocalTable table, int[] trainingRows, int bins, Encoding encoding) {
    Objects.requireNonNull(table, "table");
    if (bins < 2) {
      throw new PreprocessingException("quantile binning needs at least 2 bins, got " + bins);
    }
    Tables.checkRows(table, trainingRows, "training row");
    List<List<Double>> cuts = new ArrayList<>();
    for (int j = 0; j < table.features(); j++) {
      double[] x = Tables.observed(table, trainingRows, j);
      Arrays.sort(x);
      cuts.add(cutPoints(x, bins));
    }
    return new QuantileBinner(table.featureNames(), cuts, encoding);
  }

  /** Inner edges of the deduplicated quantile edges of sorted {@code x}. */
  static List<Double> cutPoints(double[] sorted, int bins) {
    if (sorted.length == 0) {
      return List.of();
    }
    List<Double> edges = new ArrayList<>();
    for (int i = 0; i <= bins; i++) {
      double q = quantile(sorted, (double) i / bins);
      // "> previous" merges equal edges; it would also drop an edge that rounding made smaller
      if (edges.isEmpty() || q > edges.get(edges.size() - 1)) {
        edges.add(q);
      }
    }
    return edges.size() <= 2 ? List.of() : List.copyOf(edges.subList(1, edges.size() - 1));
  }

  /** numpy's default ("linear") percentile of sorted {@code x} at {@code q} in [0, 1]. */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double t = h - lo;
    double a = sorted[lo];
    double b = sorted[hi];
    // numpy's _lerp: symmetric form, so that t = 1 yields b exactly
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  }

  /** Regular (non-missing) bins of column {@code j}: cut points + 1. */
  public int regularBins(int j) {
    return cuts.get(j).size() + 1;
  }

  /** The bin index of {@code x} in column {@code j}; NaN gives {@code regularBins(j)}. */
  public int bin(int j, double x) {
    List<Double> c = cuts.get(j);
    if (Double.isNaN(x)) {
      return c.size() + 1;
    }
    // number of cut points <= x; the lists are short (< bins), a linear scan is fine
    int b = 0;
    while (b < c.size() && c.get(b) <= x) {
      b++;
    }
    return b;
  }

  @Override
  public List<String> inputColumns() {
    return columns;
  }

  @Override
  public List<String> outputColumns() {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < columns.size(); j++) {
      String c = columns.get(j);
      if (encoding == Encoding.INDEX) {
        out.add(c + "__bin");
      } else {
        for (int b = 0; b < regularBins(j); b++) {
          out.add(c + "__bin" + b);
        }
        out.add(c + MISSING_BIN_SUFFIX);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public LocalTable apply(LocalTable table, int[] rows) {
    Tables.checkColumns(columns, table, "QuantileBinner");
    Tables.checkRows(table, rows, "row");
    List<String> names = outputColumns();
    double[][] out = new double[names.size()][rows.length];
    int first = 0;
    for (int j = 0; j < columns.size(); j++) {
      for (int i = 0; i < rows.length; i++) {
        int b = bin(j, Tables.value(table, rows[i], j));
        if (encoding == Encoding.INDEX) {
          out[first][i] = b;
        } else {
          out[first + b][i] = 1;
        }
      }
      first += encoding == Encoding.INDEX ? 1 : regularBins(j) + 1;
    }
    return Tables.build(table, rows, names, out);
  }
}
