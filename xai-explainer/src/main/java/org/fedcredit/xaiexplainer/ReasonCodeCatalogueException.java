package org.fedcredit.xaiexplainer;

/**
 * A reason-code catalogue is invalid, or a characteristic has no reason family. The message names
 * the file and line, the family (index and code) and the key, and says how to fix it.
 */
public final class ReasonCodeCatalogueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ReasonCodeCatalogueException(String message) {
    super(message);
  }

  ReasonCodeCatalogueException(String message, Throwable cause) {
    super(message, cause);
  }
}
