package org.fedcredit.modelzoo.binning;

/** A binning or WOE/IV step cannot go on; the message says where (party, column) and what to do. */
public class BinningException extends RuntimeException {

  public BinningException(String message) {
    super(message);
  }

  public BinningException(String message, Throwable cause) {
    super(message, cause);
  }
}
