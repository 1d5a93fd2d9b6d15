package org.fedcredit.coordinator.translog;

/** A signed checkpoint or note key that cannot be parsed or does not verify; says why. */
public final class CheckpointException extends Exception {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }
}
