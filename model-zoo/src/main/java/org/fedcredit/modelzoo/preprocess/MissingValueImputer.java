package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Replaces missing values (NaN) per column with a value fixed at fit time: the column's mean over
 * the training rows, or a constant.
 *
 * <p>Guarantees and defaults:
 *
 * <ul>
 *   <li>The fill value of every column comes from the training rows only; hold-out rows are filled
 *       with it even if their own mean differs.
 *   <li>{@link #columnsWithMissing()} records which columns had at least one missing value in the
 *       training rows, in column order.
 *   <li>With {@code addIndicators} (off by default in {@link Preprocessing}), one 0/1 column {@code
 *       <col>__missing} is appended after all input columns, in input column order, for each column
 *       in {@link #columnsWithMissing()} — and only those, so the output columns depend on the
 *       training rows alone. A hold-out value missing in a column that had no missing training
 *       value is filled but gets no indicator.
 *   <li>Mean imputation of a column missing in every training row is rejected (there is no mean);
 *       use a constant. Infinite values are rejected.
 * </ul>
 *
 * @param columns input column names
 * @param fillValues the value replacing NaN, per column
 * @param columnsWithMissing columns with a missing value among the training rows
 * @param addIndicators whether {@code <col>__missing} columns are appended
 */
public record MissingValueImputer(
    List<String> columns,
    List<Double> fillValues,
    List<String> columnsWithMissing,
    boolean addIndicators)
    implements FittedTransform {

  /** Suffix of the indicator columns. */
  public static final String INDICATOR_SUFFIX = "__missing";

  /** How the fill value of a column is chosen. */
  public sealed interface Fill {
    /** The mean of the column's observed training values. */
    record Mean() implements Fill {}

    /** The same finite constant for every column. */
    record Constant(double value) implements Fill {
      public Constant {
        if (!Double.isFinite(value)) {
          throw new PreprocessingException("the imputation constant must be finite, got " + value);
        }
      }
    }
  }

  public MissingValueImputer {
    columns = List.copyOf(columns);
    fillValues = List.copyOf(fillValues);
    columnsWithMissing = List.copyOf(columnsWithMissing);
    if (fillValues.size() != columns.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + fillValues.size() + " fill values");
    }
    for (int j = 0; j < columns.size(); j++) {
      if (!Double.isFinite(fillValues.get(j))) {
        throw new IllegalArgumentException(
            "column '" + columns.get(j) + "': fill value " + fillValues.get(j) + " is not finite");
      }
    }
    if (!new HashSet<>(columns).containsAll(columnsWithMissing)) {
      throw new IllegalArgumentException(
          "columns with missing values " + columnsWithMissing + " not all in " + columns);
    }
  }

  /**
   * Fits on {@code trainingRows} of {@code table}.
   *
   * @throws PreprocessingException if mean imputation meets a column with no observed training
   *     value, a value is infinite, or a row index is out of range or repeated
   */
  public static MissingValueImputer fit(
      LocalTable table, int[] trainingRows, Fill fill, boolean addIndicators) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(fill, "fill");
    Tables.checkRows(table, trainingRows, "training row");
    List<Double> fillValues = new ArrayList<>();
    List<String> withMissing = new ArrayList<>();
    for (int j = 0; j < table.features(); j++) {
      String name = table.featureNames().get(j);
      double[] x = Tables.observed(table, trainingRows, j);
      if (x.length < trainingRows.length) {
        withMissing.add(name);
      }
      // Java 17 has no pattern switch; Fill has exactly these two variants.
      fillValues.add(
          fill instanceof Fill.Constant c ? c.value() : mean(table, name, x, trainingRows.length));
    }
    return new MissingValueImputer(table.featureNames(), fillValues, withMissing, addIndicators);
  }

  private static double mean(LocalTable table, String name, double[] x, int rows) {
    if (x.length == 0) {
      throw new PreprocessingException(
          table.source()
              + ": column '"
              + name
              + "' is missing in all "
              + rows
              + " training rows, so it has no mean; impute it with a constant"
              + " (impute: {strategy: constant, value: ...}) or drop it");
    }
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    return sum / x.length;
  }

  @Override
  public List<String> inputColumns() {
    return columns;
  }

  @Override
  public List<String> outputColumns() {
    List<String> out = new ArrayList<>(columns);
    if (addIndicators) {
      for (String c : columnsWithMissing) {
        out.add(c + INDICATOR_SUFFIX);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public LocalTable apply(LocalTable table, int[] rows) {
    Tables.checkColumns(columns, table, "MissingValueImputer");
    Tables.checkRows(table, rows, "row");
    List<String> names = outputColumns();
    double[][] out = new double[names.size()][rows.length];
    int indicator = columns.size();
    for (int j = 0; j < columns.size(); j++) {
      double fill = fillValues.get(j);
      boolean indicate = addIndicators && columnsWithMissing.contains(columns.get(j));
      for (int i = 0; i < rows.length; i++) {
        double x = Tables.value(table, rows[i], j);
        boolean missing = Double.isNaN(x);
        out[j][i] = missing ? fill : x;
        if (indicate) {
          out[indicator][i] = missing ? 1 : 0;
        }
      }
      if (indicate) {
        indicator++;
      }
    }
    return Tables.build(table, rows, names, out);
  }
}
