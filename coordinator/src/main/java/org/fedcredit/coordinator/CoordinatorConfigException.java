package org.fedcredit.coordinator;

/** A coordinator.yaml that cannot be used; the message says what, where and how to fix it. */
public final class CoordinatorConfigException extends RuntimeException {
  public CoordinatorConfigException(String message) {
    super(message);
  }
}
