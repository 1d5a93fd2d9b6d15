package org.fedcredit.transport.tls;

/**
 * Certificates or keys could not be created, read or used: the message names the file (or the
 * party) and says how to fix it, e.g. {@code cannot read CA key /x/ca.key: file does not exist; run
 * `fedcredit certs init --dir /x` first}.
 */
public final class TlsSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TlsSetupException(String message) {
    super(message);
  }

  public TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
