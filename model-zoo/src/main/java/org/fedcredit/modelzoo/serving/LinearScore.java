package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bank's score of one application under a linear model (vertical LR or scorecard): {@code
 * margin = intercept + Σ bank terms + Σ parties' partial margins} (summed in that order, as the
 * batch evaluation does). Exact linear SHAP: each term's {@link LinearTerm#attribution()}; the base
 * value is {@code intercept + Σ_k w_k·mean_k} over all model columns, and base + Σ attributions =
 * margin.
 *
 * @param margin log-odds of default
 * @param intercept the LR intercept
 * @param bankTerms the bank's own model columns
 * @param parts each feature party's part, by party
 * @param card for a scorecard job, the score (from the margin) and band
 */
public record LinearScore(
    double margin,
    double intercept,
    List<LinearTerm> bankTerms,
    Map<String, LinearPart> parts,
    Optional<ScorecardRules.CardScore> card)
    implements BankScore {

  public LinearScore {
    bankTerms = List.copyOf(bankTerms);
    parts = Map.copyOf(parts);
  }
}
