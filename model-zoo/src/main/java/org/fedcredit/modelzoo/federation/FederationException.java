package org.fedcredit.modelzoo.federation;

/**
 * A message could not be delivered or received: timeout, unknown peer, failed peer, malformed
 * payload. The message names the parties and the tag.
 */
public final class FederationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FederationException(String message) {
    super(message);
  }

  public FederationException(String message, Throwable cause) {
    super(message, cause);
  }
}
