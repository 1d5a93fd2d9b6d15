package org.fedcredit.participantnode.serving.store;

/** A decision with this token is already stored. Nothing was written. */
public final class DuplicateDecisionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DuplicateDecisionException(String token) {
    super(
        "a decision with token "
            + token
            + " is already stored; every decision needs a fresh DecisionTokens.newToken()");
  }
}
