package org.fedcredit.coordinator.translog;

/** The stored log is not what the log wrote: a row is missing or changed. Names the index. */
public final class TamperedLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long index;

  public TamperedLogException(long index, String message) {
    super(message);
    this.index = index;
  }

  /** The first entry index concerned. */
  public long index() {
    return index;
  }
}
