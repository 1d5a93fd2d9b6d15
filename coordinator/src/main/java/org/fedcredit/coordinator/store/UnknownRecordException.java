package org.fedcredit.coordinator.store;

/**
 * An operation named a job or party that the coordinator store does not hold (a heartbeat from an
 * unregistered party, an event for an unknown job). Nothing was written.
 */
public final class UnknownRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnknownRecordException(String message) {
    super(message);
  }
}
