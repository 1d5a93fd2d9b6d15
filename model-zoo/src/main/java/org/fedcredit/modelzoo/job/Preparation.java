package org.fedcredit.modelzoo.job;

import java.util.Map;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.preprocess.Preprocessing;
import org.fedcredit.modelzoo.serving.PreprocessingEncoder;
import org.fedcredit.modelzoo.serving.RowEncoder;

/**
 * How a party of a vertical LR job turns its aligned rows into the model's training and hold-out
 * tables in step {@code preprocess}: its own {@link Preprocessing} (vertical-lr), or the federated
 * WOE binning (scorecard), which talks to the other parties and so gets the federation.
 */
interface Preparation {

  /**
   * The model's tables and what the party may report about them (counts only).
   *
   * @param encoder how a raw row becomes the model's columns (for the served model)
   * @param train the training rows of the aligned table, as a table with the model's columns
   * @param test the hold-out rows, same columns, same order as the hold-out positions
   */
  record Prepared(
      RowEncoder encoder, LocalTable train, LocalTable test, Map<String, Object> report) {}

  /**
   * @param aligned the party's rows in PSI order
   * @param train positions of the training rows in {@code aligned}
   * @param test positions of the hold-out rows in {@code aligned}
   */
  Prepared prepare(LocalTable aligned, int[] train, int[] test, Federation fed);

  /** The party's own preprocessing, fitted on its training rows only. */
  static Preparation local(Preprocessing preprocessing) {
    return (aligned, train, test, fed) -> {
      FittedPreprocessing fitted = preprocessing.fit(aligned, train);
      return new Prepared(
          new PreprocessingEncoder(fitted),
          fitted.apply(aligned, train),
          fitted.apply(aligned, test),
          Map.of("model_columns", fitted.outputColumns().size()));
    };
  }
}
