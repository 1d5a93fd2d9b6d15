package org.fedcredit.modelzoo.preprocess;

/**
 * A preprocessing spec or its data cannot be used: an unknown or ill-typed config key (the message
 * names the key path, e.g. {@code bins.encoding}), a column that is missing in every training row,
 * an infinite value, a row index out of range, or a table whose columns differ from those seen when
 * fitting. The message says what was wrong, where (column, row id) and how to fix it.
 */
public final class PreprocessingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PreprocessingException(String message) {
    super(message);
  }
}
