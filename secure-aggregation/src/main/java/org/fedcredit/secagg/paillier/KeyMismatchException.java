package org.fedcredit.secagg.paillier;

/** A ciphertext made under one key was given to an operation on another key. */
public final class KeyMismatchException extends PaillierException {
  private static final long serialVersionUID = 1L;

  public KeyMismatchException(String expectedKeyId, String actualKeyId) {
    super(
        "ciphertext belongs to Paillier key "
            + actualKeyId
            + " but this operation uses key "
            + expectedKeyId
            + "; every party of a job must use the job's public key");
  }
}
