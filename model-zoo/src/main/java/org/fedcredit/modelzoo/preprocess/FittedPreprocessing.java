package org.fedcredit.modelzoo.preprocess;

import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * A {@link Preprocessing} spec fitted on one party's training rows: the fitted transforms in the
 * order they run. Immutable; applying it never refits, so hold-out rows are transformed with the
 * training parameters.
 *
 * <p>The output columns are a deterministic function of the spec and the training rows, listed by
 * {@link #outputColumns()}; output rows keep the ids and labels of the selected input rows.
 *
 * @param spec the spec that was fitted
 * @param inputColumns the columns of the table it was fitted on
 * @param transforms the fitted steps, in order
 */
public record FittedPreprocessing(
    Preprocessing spec, List<String> inputColumns, List<FittedTransform> transforms) {

  public FittedPreprocessing {
    Objects.requireNonNull(spec, "spec");
    inputColumns = List.copyOf(inputColumns);
    transforms = List.copyOf(transforms);
    List<String> expected = inputColumns;
    for (FittedTransform t : transforms) {
      if (!t.inputColumns().equals(expected)) {
        throw new IllegalArgumentException(
            "transform inputs " + t.inputColumns() + " do not follow " + expected);
      }
      expected = t.outputColumns();
    }
  }

  /** The columns {@link #apply} produces, in order. */
  public List<String> outputColumns() {
    return transforms.isEmpty()
        ? inputColumns
        : transforms.get(transforms.size() - 1).outputColumns();
  }

  /**
   * Transforms rows {@code rows} of {@code table} (indices, each at most once, in output order).
   *
   * @throws PreprocessingException if the table's columns differ from {@link #inputColumns()}, a
   *     row index is out of range or repeated, or a value is infinite
   */
  public LocalTable apply(LocalTable table, int[] rows) {
    Tables.checkColumns(inputColumns, table, "the preprocessing");
    Tables.checkRows(table, rows, "row");
    if (transforms.isEmpty()) {
      double[][] columns = new double[table.features()][];
      for (int j = 0; j < columns.length; j++) {
        columns[j] = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          columns[j][i] = table.value(rows[i], j);
        }
      }
      return Tables.build(table, rows, inputColumns, columns);
    }
    LocalTable current = transforms.get(0).apply(table, rows);
    for (FittedTransform t : transforms.subList(1, transforms.size())) {
      current = t.apply(current);
    }
    return current;
  }

  /** Transforms every row of {@code table}. */
  public LocalTable apply(LocalTable table) {
    return apply(table, Tables.allRows(table));
  }
}
