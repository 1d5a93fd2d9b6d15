package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Objects;

/**
 * A feature party's part of a linear model's margin for one row: {@code margin = Σ_k w_k·z_k} over
 * its model columns (summed in column order, as in the batch evaluation), and the terms.
 *
 * @param party the feature party
 * @param margin the partial margin
 * @param terms one per model column, in model order; the serving node may leave them out (empty)
 *     when the party's policy allows only the partial score to be disclosed
 */
public record LinearPart(String party, double margin, List<LinearTerm> terms)
    implements FeaturePart {

  public LinearPart {
    Objects.requireNonNull(party, "party");
    terms = List.copyOf(terms);
  }

  /** The same part without its terms (the partial score alone). */
  public LinearPart withoutTerms() {
    return new LinearPart(party, margin, List.of());
  }
}
