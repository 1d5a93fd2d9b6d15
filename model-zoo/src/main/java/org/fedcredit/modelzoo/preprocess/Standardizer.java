package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Per-column z-score {@code (x − mean) / std} with mean and standard deviation fitted on training
 * rows only.
 *
 * <p>Guarantees and defaults:
 *
 * <ul>
 *   <li>The standard deviation is the population one (divide by n, as scikit-learn's {@code
 *       StandardScaler} and FATE's data files use), computed in two passes over the training rows'
 *       observed values. Missing values (NaN) are ignored when fitting and stay NaN when applying.
 *   <li>A <b>constant column</b> (every observed training value equal) gets std 1, so it maps to 0
 *       instead of dividing by zero; it is listed in {@link #constantColumns()} so that a caller
 *       can warn or drop it. Detection is exact ({@code min == max}), not a variance threshold, so
 *       a column of equal values is never blown up by the rounding error of its mean.
 *   <li>A column with no observed value in the training rows is rejected: impute it with a constant
 *       first, or drop it.
 *   <li>Output columns keep the input names and order.
 * </ul>
 *
 * @param columns input (and output) column names
 * @param means training mean per column
 * @param stds training standard deviation per column, positive (1 for constant columns)
 * @param constantColumns the columns whose training values were all equal, in column order
 */
public record Standardizer(
    List<String> columns, List<Double> means, List<Double> stds, List<String> constantColumns)
    implements FittedTransform {

  public Standardizer {
    columns = List.copyOf(columns);
    means = List.copyOf(means);
    stds = List.copyOf(stds);
    constantColumns = List.copyOf(constantColumns);
    if (means.size() != columns.size() || stds.size() != columns.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns, " + means.size() + " means, " + stds.size() + " stds");
    }
    for (int j = 0; j < columns.size(); j++) {
      if (!Double.isFinite(means.get(j)) || !(stds.get(j) > 0) || stds.get(j).isInfinite()) {
        throw new IllegalArgumentException(
            "column '"
                + columns.get(j)
                + "': mean "
                + means.get(j)
                + ", std "
                + stds.get(j)
                + "; need a finite mean and a finite positive std");
      }
    }
    if (!new HashSet<>(columns).containsAll(constantColumns)) {
      throw new IllegalArgumentException(
          "constant columns " + constantColumns + " not all in " + columns);
    }
  }

  /**
   * Fits on {@code trainingRows} of {@code table}.
   *
   * @throws PreprocessingException if a column has no observed training value, a value is infinite,
   *     or a row index is out of range or repeated
   */
  public static Standardizer fit(LocalTable table, int[] trainingRows) {
    Objects.requireNonNull(table, "table");
    Tables.checkRows(table, trainingRows, "training row");
    List<Double> means = new ArrayList<>();
    List<Double> stds = new ArrayList<>();
    List<String> constant = new ArrayList<>();
    for (int j = 0; j < table.features(); j++) {
      String name = table.featureNames().get(j);
      double[] x = Tables.observed(table, trainingRows, j);
      if (x.length == 0) {
        throw new PreprocessingException(
            table.source()
                + ": column '"
                + name
                + "' is missing in all "
                + trainingRows.length
                + " training rows, so it has no mean or std; impute it with a constant first"
                + " or drop it");
      }
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : x) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double mean = sum / x.length;
      double squares = 0;
      for (double v : x) {
        squares += (v - mean) * (v - mean);
      }
      double std = Math.sqrt(squares / x.length);
      if (min == max || !(std > 0)) {
        std = 1;
        constant.add(name);
        mean = min; // exactly the value, so the column maps to exactly 0
      }
      means.add(mean);
      stds.add(std);
    }
    return new Standardizer(table.featureNames(), means, stds, constant);
  }

  @Override
  public List<String> inputColumns() {
    return columns;
  }

  @Override
  public List<String> outputColumns() {
    return columns;
  }

  @Override
  public LocalTable apply(LocalTable table, int[] rows) {
    Tables.checkColumns(columns, table, "Standardizer");
    Tables.checkRows(table, rows, "row");
    double[][] out = new double[columns.size()][rows.length];
    for (int j = 0; j < columns.size(); j++) {
      double mean = means.get(j);
      double std = stds.get(j);
      for (int i = 0; i < rows.length; i++) {
        out[j][i] = (Tables.value(table, rows[i], j) - mean) / std;
      }
    }
    return Tables.build(table, rows, columns, out);
  }
}
