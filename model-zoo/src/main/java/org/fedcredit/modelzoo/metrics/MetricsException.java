package org.fedcredit.modelzoo.metrics;

/**
 * The labels or scores handed to {@link BinaryClassificationMetrics} cannot be evaluated:
 * mismatched lengths, a label other than 0/1, a NaN or infinite score, no rows, or a single class.
 * The message names the offending position and says what to change.
 */
public final class MetricsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MetricsException(String message) {
    super(message);
  }
}
