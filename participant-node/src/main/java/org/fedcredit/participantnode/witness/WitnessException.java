package org.fedcredit.participantnode.witness;

/**
 * The node refuses a checkpoint: it does not verify, is not consistent with what the node saw
 * before, or another party's cosignature shows a different history. The message says which sizes
 * and roots disagree and what that means.
 */
public final class WitnessException extends Exception {
  public WitnessException(String message) {
    super(message);
  }
}
