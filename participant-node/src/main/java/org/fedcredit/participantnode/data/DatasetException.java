package org.fedcredit.participantnode.data;

/**
 * A dataset could not be delivered: the database is unreachable, the query failed, or a value is
 * malformed. The message is one line that names the dataset (alias, file or redacted URL), the row
 * or line and column where known, and how to fix it. {@link DataFormatException} is the file-based
 * case.
 */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
