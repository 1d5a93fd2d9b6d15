package org.fedcredit.modelzoo.scorecard;

/** A scorecard cannot be built, merged, read or written; the message says what to fix. */
public class ScorecardException extends RuntimeException {

  public ScorecardException(String message) {
    super(message);
  }

  public ScorecardException(String message, Throwable cause) {
    super(message, cause);
  }
}
