package org.fedcredit.transport.grpc;

/**
 * A gRPC server or channel could not be set up (e.g. the port is taken); the message says where.
 */
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
