package org.fedcredit.participantnode.serving.web;

/** The decision web server cannot start: the address is in use or is not one of this machine's. */
public final class DecisionWebServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DecisionWebServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
