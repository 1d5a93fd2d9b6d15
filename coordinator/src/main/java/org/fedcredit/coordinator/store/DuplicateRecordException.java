package org.fedcredit.coordinator.store;

/** A job or model with this id is already in the coordinator store. Nothing was written. */
public final class DuplicateRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DuplicateRecordException(String message) {
    super(message);
  }
}
