package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;

/** Row selection and checks shared by the fitted transforms. */
final class Tables {
  private Tables() {}

  /** Every index in range and none listed twice; {@code what} is e.g. "training row". */
  static void checkRows(LocalTable table, int[] rows, String what) {
    boolean[] seen = new boolean[table.rows()];
    for (int r : rows) {
      if (r < 0 || r >= table.rows()) {
        throw new PreprocessingException(
            what
                + " index "
                + r
                + " is outside "
                + table.source()
                + " ("
                + table.rows()
                + " rows, indices 0.."
                + (table.rows() - 1)
                + ")");
      }
      if (seen[r]) {
        throw new PreprocessingException(
            what
                + " index "
                + r
                + " (id "
                + table.ids().get(r)
                + ") is listed twice; pass each row once");
      }
      seen[r] = true;
    }
  }

  /** The table has exactly the columns the transform was fitted on, in the same order. */
  static void checkColumns(List<String> fitted, LocalTable table, String transform) {
    if (fitted.equals(table.featureNames())) {
      return;
    }
    List<String> actual = table.featureNames();
    int k = 0;
    while (k < fitted.size() && k < actual.size() && fitted.get(k).equals(actual.get(k))) {
      k++;
    }
    throw new PreprocessingException(
        table.source()
            + ": "
            + transform
            + " was fitted on "
            + fitted.size()
            + " columns "
            + fitted
            + " but the table has "
            + actual.size()
            + " "
            + actual
            + "; first difference at position "
            + k
            + " ("
            + (k < fitted.size() ? "'" + fitted.get(k) + "'" : "nothing")
            + " expected, "
            + (k < actual.size() ? "'" + actual.get(k) + "'" : "nothing")
            + " found). Apply a fitted transform to tables with the training table's columns.");
  }

  /** The value, rejecting infinities (NaN = missing passes). */
  static double value(LocalTable table, int row, int column) {
    double x = table.value(row, column);
    if (Double.isInfinite(x)) {
      throw new PreprocessingException(
          table.source()
              + ": column '"
              + table.featureNames().get(column)
              + "', row id "
              + table.ids().get(row)
              + " is "
              + x
              + "; values must be finite or NaN (missing)");
    }
    return x;
  }

  /** Observed (non-missing) values of {@code column} in {@code rows}. */
  static double[] observed(LocalTable table, int[] rows, int column) {
    double[] out = new double[rows.length];
    int n = 0;
    for (int r : rows) {
      double x = value(table, r, column);
      if (!Double.isNaN(x)) {
        out[n++] = x;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** A table of the given rows of {@code source} (ids and labels) with new columns. */
  static LocalTable build(LocalTable source, int[] rows, List<String> names, double[][] columns) {
    Set<String> unique = new HashSet<>();
    for (String name : names) {
      if (!unique.add(name)) {
        throw new PreprocessingException(
            source.source()
                + ": output column '"
                + name
                + "' would appear twice; rename the input column that collides with a generated"
                + " name (generated names end in __missing, __bin…)");
      }
    }
    List<String> ids = new ArrayList<>(rows.length);
    for (int r : rows) {
      ids.add(source.ids().get(r));
    }
    int[] labels = null;
    if (source.hasLabels()) {
      labels = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        labels[i] = source.label(rows[i]);
      }
    }
    return new LocalTable(source.source(), ids, names, columns, labels);
  }

  static int[] allRows(LocalTable table) {
    int[] rows = new int[table.rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return rows;
  }
}
