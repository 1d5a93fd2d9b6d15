package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Objects;

/**
 * A feature party's part of a linear model's margin for one row: {@code margin = Σ_k w_k·z_k} over
 * its model columns (summed in column order, as in the batch evaluation), and the terms.
 *
 * <p>The party's linear SHAP value as one block is {@link #attribution()} {@code = margin −
 * referenceMargin}, with {@code referenceMargin = Σ_k w_k·mean_k} (its partial margin at the
 * training means), so the bank can show "information from this party" without the terms.
 *
 * @param party the feature party
 * @param margin the partial margin
 * @param referenceMargin {@code Σ_k w_k·mean_k} over its model columns
 * @param terms one per model column, in model order; the serving node may leave them out (empty)
 *     when the party's policy allows only the partial score to be disclosed
 */
public record LinearPart(
    String party, double margin, double referenceMargin, List<LinearTerm> terms)
    implements FeaturePart {

  public LinearPart {
    Objects.requireNonNull(party, "party");
    terms = List.copyOf(terms);
  }

  /** The party's block attribution {@code margin − referenceMargin}. */
  public double attribution() {
    return margin - referenceMargin;
  }

  /** The same part without its terms (the partial score and reference alone). */
  public LinearPart withoutTerms() {
    return new LinearPart(party, margin, referenceMargin, List.of());
  }
}
