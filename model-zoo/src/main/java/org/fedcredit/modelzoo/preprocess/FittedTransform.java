package org.fedcredit.modelzoo.preprocess;

import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * A party-local transform whose parameters were fitted on training rows and are then applied,
 * unchanged, to any rows — training and hold-out alike — so that no hold-out statistic leaks into
 * the model.
 *
 * <p>Guarantees of every implementation: it is an immutable value; {@link #apply(LocalTable,
 * int[])} never refits; the output columns are {@link #outputColumns()}, a deterministic function
 * of the fitted parameters; output rows keep the ids and labels of the selected input rows, in the
 * order given.
 */
public sealed interface FittedTransform permits Standardizer, MissingValueImputer, QuantileBinner {

  /** The columns the transform was fitted on, in order; {@code apply} requires exactly these. */
  List<String> inputColumns();

  /** The columns {@code apply} produces, in order. */
  List<String> outputColumns();

  /**
   * Transforms rows {@code rows} (indices into {@code table}, each at most once, in the order of
   * the output) with the fitted parameters.
   *
   * @throws PreprocessingException if the table's columns differ from {@link #inputColumns()}, a
   *     row index is out of range or repeated, or a value is infinite
   */
  LocalTable apply(LocalTable table, int[] rows);

  /** Transforms every row of {@code table}. */
  default LocalTable apply(LocalTable table) {
    return apply(table, Tables.allRows(table));
  }
}
