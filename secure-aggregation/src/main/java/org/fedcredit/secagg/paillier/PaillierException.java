package org.fedcredit.secagg.paillier;

/**
 * A Paillier operation refused its input: a key below the policy floor, a ciphertext of another
 * key, a ciphertext out of range, a malformed serialised key. The message says what and how to fix
 * it.
 */
public class PaillierException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PaillierException(String message) {
    super(message);
  }

  public PaillierException(String message, Throwable cause) {
    super(message, cause);
  }
}
