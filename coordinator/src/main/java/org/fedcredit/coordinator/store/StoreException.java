package org.fedcredit.coordinator.store;

/**
 * The coordinator store cannot be opened or used: bad URL, unreachable database, failed migration,
 * SQL error. The message is one line that names the store URL (password redacted), says what went
 * wrong and how to fix it; the JDBC/Flyway cause is attached for {@code --debug}.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
