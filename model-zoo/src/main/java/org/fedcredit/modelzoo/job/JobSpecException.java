package org.fedcredit.modelzoo.job;

/** A job spec is invalid; the message names the key path (e.g. {@code parties.bank.data}). */
public final class JobSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public JobSpecException(String message) {
    super(message);
  }
}
