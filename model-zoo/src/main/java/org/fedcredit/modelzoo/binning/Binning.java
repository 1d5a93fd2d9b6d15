package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.QuantileBinner;

/**
 * A party's binning spec: one {@link BinningMethod} for every column, with per-column overrides;
 * {@link #fit} chooses the cut points on the training rows only. Fitting is local: cut points never
 * leave the party.
 *
 * <p>Default ({@link #defaults()}): 10 quantile bins for every column.
 *
 * @param defaultMethod used for every column without an override
 * @param overrides per column name
 */
public record Binning(BinningMethod defaultMethod, Map<String, BinningMethod> overrides) {

  /** Default number of quantile bins. */
  public static final int DEFAULT_BINS = 10;

  public Binning {
    Objects.requireNonNull(defaultMethod, "defaultMethod");
    overrides = Map.copyOf(overrides);
  }

  /** 10 quantile bins per column. */
  public static Binning defaults() {
    return of(new BinningMethod.Quantile(DEFAULT_BINS));
  }

  /** The same method for every column. */
  public static Binning of(BinningMethod method) {
    return new Binning(method, Map.of());
  }

  /** This spec with {@code method} for {@code column}. */
  public Binning with(String column, BinningMethod method) {
    Map<String, BinningMethod> m = new HashMap<>(overrides);
    m.put(column, Objects.requireNonNull(method, "method"));
    return new Binning(defaultMethod, m);
  }

  /** The method for {@code column}. */
  public BinningMethod methodFor(String column) {
    return overrides.getOrDefault(column, defaultMethod);
  }

  /**
   * Fits the bins of every column of {@code table} on {@code trainingRows}, in column order.
   *
   * @throws BinningException if an override names a column the table lacks, a training row is out
   *     of range, a value is infinite, or an indicator column holds a value other than 0/1
   */
  public List<ColumnBins> fit(LocalTable table, int[] trainingRows) {
    for (String c : overrides.keySet()) {
      if (!table.featureNames().contains(c)) {
        throw new BinningException(
            table.source() + ": the binning spec names column '" + c + "', which it does not have");
      }
    }
    List<ColumnBins> out = new ArrayList<>();
    for (int j = 0; j < table.features(); j++) {
      String name = table.featureNames().get(j);
      double[] all = table.column(j);
      double[] train = new double[trainingRows.length];
      for (int r = 0; r < trainingRows.length; r++) {
        int i = trainingRows[r];
        if (i < 0 || i >= all.length) {
          throw new BinningException(
              table.source() + ": training row " + i + " is out of range [0, " + all.length + ")");
        }
        train[r] = all[i];
      }
      out.add(fit(name, train, methodFor(name)));
    }
    return List.copyOf(out);
  }

  /** Fits one column's bins on its training values (NaN = missing). */
  public static ColumnBins fit(String column, double[] trainingValues, BinningMethod method) {
    double[] observed = Arrays.stream(trainingValues).filter(v -> !Double.isNaN(v)).toArray();
    for (double v : observed) {
      if (Double.isInfinite(v)) {
        throw new BinningException("column '" + column + "': infinite value " + v);
      }
    }
    // Java 17: no pattern switch yet; the interface is sealed, so this chain is exhaustive.
    if (method instanceof BinningMethod.Quantile q) {
      return new ColumnBins(column, quantileCuts(observed, q.bins()), false);
    }
    if (method instanceof BinningMethod.EqualWidth w) {
      return new ColumnBins(column, equalWidthCuts(observed, w.bins()), false);
    }
    if (method instanceof BinningMethod.Manual m) {
      return new ColumnBins(column, m.cutPoints(), false);
    }
    ColumnBins bins = ColumnBins.indicator(column);
    bins.apply(observed); // rejects values other than 0/1
    return bins;
  }

  private static List<Double> quantileCuts(double[] observed, int bins) {
    LocalTable one =
        new LocalTable(
            "quantile", ids(observed.length), List.of("x"), new double[][] {observed}, null);
    int[] rows = new int[observed.length];
    Arrays.setAll(rows, i -> i);
    return QuantileBinner.fit(one, rows, bins, QuantileBinner.Encoding.INDEX).cuts().get(0);
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(Integer.toString(i));
    }
    return ids;
  }

  private static List<Double> equalWidthCuts(double[] observed, int bins) {
    if (observed.length == 0) {
      return List.of();
    }
    double min = Arrays.stream(observed).min().getAsDouble();
    double max = Arrays.stream(observed).max().getAsDouble();
    if (!(max > min)) {
      return List.of();
    }
    List<Double> cuts = new ArrayList<>();
    for (int k = 1; k < bins; k++) {
      double c = min + (max - min) * k / bins;
      if (c > min && c < max && (cuts.isEmpty() || c > cuts.get(cuts.size() - 1))) {
        cuts.add(c);
      }
    }
    return List.copyOf(cuts);
  }
}
