package org.fedcredit.modelzoo.serving;

/** The bank's score of one application: {@link LinearScore} or {@link TreeScore}. */
public sealed interface BankScore permits LinearScore, TreeScore {

  /** The model's log-odds of default {@code ln(P(bad)/P(good))}. */
  double margin();

  /** {@code 1 / (1 + exp(−margin))}. */
  default double probability() {
    return 1 / (1 + Math.exp(-margin()));
  }
}
