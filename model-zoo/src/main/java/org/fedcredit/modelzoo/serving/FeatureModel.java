package org.fedcredit.modelzoo.serving;

import java.util.Map;

/**
 * A feature party's served model: from its own raw row of an enterprise, the part it sends the bank
 * in the one round trip of a decision. Needs no label and no other party's data.
 */
public sealed interface FeatureModel extends PartyModel
    permits LinearFeatureModel, TreeFeatureModel {

  /**
   * The party's part for {@code raw} (its columns by name, NaN = missing).
   *
   * @param discloseColumns whether per-column detail may go to the bank (linear terms; split
   *     columns); without it a {@link LinearPart} has no terms and a {@link TreePart} no columns
   * @throws ScoringException if a column the model reads is absent or cannot be transformed
   */
  FeaturePart part(Map<String, Double> raw, boolean discloseColumns);
}
