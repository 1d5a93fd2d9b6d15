package org.fedcredit.modelzoo.serving;

/**
 * What one feature party answers for one application, computed on its own node from its own raw
 * row: a {@link LinearPart} (LR, scorecard) or a {@link TreePart} (SecureBoost). It never holds a
 * raw value.
 */
public sealed interface FeaturePart permits LinearPart, TreePart {

  /** The party that computed it. */
  String party();
}
