package org.fedcredit.participantnode.serving.store;

/**
 * The decision store cannot be opened or used: bad URL, unreachable database, failed migration, SQL
 * error. The message is one line that names the store URL (password redacted), says what went wrong
 * and how to fix it; the JDBC or Flyway cause is attached.
 */
public final class DecisionStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecisionStoreException(String message) {
    super(message);
  }

  public DecisionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
