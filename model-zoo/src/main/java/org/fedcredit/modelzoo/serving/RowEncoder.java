package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Map;

/**
 * How one party turns a raw row (its own columns by name, {@link Double#NaN} = missing) into the
 * values of its model columns, with the parameters fitted on its training rows: the party's
 * preprocessing ({@link PreprocessingEncoder}) or its WOE encoding ({@link WoeEncoder}). It
 * computes exactly what the training and hold-out transform computed, value for value.
 */
public sealed interface RowEncoder permits PreprocessingEncoder, WoeEncoder {

  /** The raw columns it reads, in order. */
  List<String> rawColumns();

  /** The model columns it produces, in order. */
  List<String> modelColumns();

  /**
   * For each model column, the raw column it is computed from (a one-hot bin column, a missing
   * indicator or a WOE column map back to their raw column), so that attributions can be summed per
   * raw column.
   */
  List<String> sourceColumns();

  /**
   * The model column values of {@code raw}.
   *
   * @throws ScoringException if a raw column of {@link #rawColumns()} is absent from {@code raw}
   *     (write NaN for a missing value), or a value cannot be transformed (e.g. infinite)
   */
  double[] encode(Map<String, Double> raw);

  /** The JSON-able form written into a shard. */
  Map<String, Object> toShard();

  /** Reads what {@link #toShard()} wrote. */
  static RowEncoder fromShard(ShardFields f) {
    String type = f.string("type");
    return switch (type) {
      case PreprocessingEncoder.TYPE -> PreprocessingEncoder.fromShard(f);
      case WoeEncoder.TYPE -> WoeEncoder.fromShard(f);
      default ->
          throw f.error(
              "type",
              "unknown encoder '"
                  + type
                  + "'; known: "
                  + PreprocessingEncoder.TYPE
                  + ", "
                  + WoeEncoder.TYPE);
    };
  }

  /** The value of {@code column} in {@code raw}, which must be present (NaN = missing). */
  static double value(Map<String, Double> raw, String column) {
    Double v = raw.get(column);
    if (v == null) {
      throw new ScoringException(
          "the raw row has no value for column '"
              + column
              + "'; pass every model column (NaN for a missing value). Row columns: "
              + raw.keySet());
    }
    return v;
  }
}
