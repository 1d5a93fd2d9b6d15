package org.fedcredit.coordinator.audit;

/** A problem with the audit log's configuration, key or input, with what to do about it. */
public final class AuditException extends RuntimeException {
  public AuditException(String message) {
    super(message);
  }
}
