package org.fedcredit.coordinator.translog;

/** A Merkle inclusion or consistency proof that does not prove what it claims; says why. */
public final class InvalidProofException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidProofException(String message) {
    super(message);
  }
}
