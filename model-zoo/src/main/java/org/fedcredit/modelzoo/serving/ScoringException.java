package org.fedcredit.modelzoo.serving;

/**
 * A row or a feature party's part that a served model cannot score: a raw column the model reads is
 * absent, a part is missing, comes from the wrong party or does not fit the model. Serving answers
 * "cannot decide" on it; it never scores with a silently different input.
 */
public final class ScoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScoringException(String message) {
    super(message);
  }

  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
