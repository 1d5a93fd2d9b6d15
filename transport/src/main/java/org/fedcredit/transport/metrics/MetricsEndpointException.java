package org.fedcredit.transport.metrics;

/**
 * The metrics/health endpoint could not start: the port is in use, the host is not a local address,
 * or the port is out of range. The message names the host and port and says what to change.
 */
public final class MetricsEndpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetricsEndpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public MetricsEndpointException(String message) {
    super(message);
  }
}
