package org.fedcredit.modelzoo.psi;

/**
 * A PSI run cannot produce an alignment: bad input (a duplicate or empty id), an empty
 * intersection, or a peer that does not follow the protocol. The message says which party, what and
 * how to fix it; at the party whose input is wrong it may name the offending id, so such a message
 * must stay on that party's node.
 */
public final class PsiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PsiException(String message) {
    super(message);
  }
}
