package org.fedcredit.secagg.encoding;

import java.util.OptionalInt;

/**
 * A decoded plaintext lies outside the range that an honest computation can produce, so the
 * homomorphic result wrapped around the plaintext space Z_n and the value is lost.
 *
 * <p>This is a configuration error, never a transient one: retrying gives the same result. The fix
 * is always one of fewer summands, a smaller fixed-point scale, a tighter value bound or a larger
 * key; the message says which value was affected.
 */
public final class EncodingOverflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int index;

  /**
   * @param message what overflowed, where and what to do about it
   * @param index position of the (first) affected value in the decoded vector, or -1 for a single
   *     value
   */
  EncodingOverflowException(String message, int index) {
    super(message);
    this.index = index;
  }

  /**
   * Position of the affected value in the decoded vector (for a packed plaintext whose slots
   * carried into each other: its first value); empty when a single value was decoded.
   */
  public OptionalInt index() {
    return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
  }
}
