package org.fedcredit.participantnode.serving;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A credit decision as issued to a borrower: what the bank's node stores (one row per decision,
 * addressable by {@link #token}) and what the borrower page and the credit officer view render. It
 * never holds a raw value of another party: other parties appear only through their attributions.
 *
 * <p>All texts a borrower reads are given in every supported language ({@code en}, {@code zh}),
 * keyed by language tag.
 *
 * @param token unguessable id (≥ 128 random bits, URL-safe base64), the page's address
 * @param decidedAt when the decision was made
 * @param enterpriseId the applicant's enterprise id (as submitted)
 * @param model which model decided
 * @param outcome approved, refused, or cannot decide (a party did not answer in time, ...)
 * @param probabilityOfDefault the model's probability of default; NaN when {@code CANNOT_DECIDE}
 * @param score scorecard points (higher = better); NaN when {@code CANNOT_DECIDE}
 * @param band score band name ("" when none)
 * @param explanation the attributions as issued; null when {@code CANNOT_DECIDE}
 * @param reasons the principal reasons (≤ 4) for an adverse decision, most important first; empty
 *     when approved
 * @param counterfactuals 0–3 suggestions that would turn a refusal into an approval
 * @param note why no decision could be made, or other notice to the borrower, per language; empty
 *     map when none
 */
public record Decision(
    String token,
    Instant decidedAt,
    String enterpriseId,
    ModelRef model,
    Outcome outcome,
    double probabilityOfDefault,
    double score,
    String band,
    Explanation explanation,
    List<Reason> reasons,
    List<Counterfactual> counterfactuals,
    Map<String, String> note) {

  public Decision {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(outcome, "outcome");
    band = band == null ? "" : band;
    reasons = List.copyOf(reasons);
    counterfactuals = List.copyOf(counterfactuals);
    note = Map.copyOf(note);
  }

  /** The outcome of an application. */
  public enum Outcome {
    APPROVED,
    REFUSED,
    CANNOT_DECIDE
  }

  /**
   * The model that decided.
   *
   * @param job the training job's id
   * @param version the published model version (e.g. its shard's SHA-256 prefix)
   * @param algorithm vertical-lr, secureboost or scorecard
   */
  public record ModelRef(String job, String version, String algorithm) {}

  /**
   * Attributions in the model's output space (log-odds of default): {@code baseValue + Σ
   * contributions.value == output} (to 1e-9).
   *
   * @param space what the numbers are in, e.g. "log-odds of default"
   * @param baseValue the model's expected output over the training rows
   * @param output the model's output for this application
   * @param contributions one per bank column, per disclosed party column, or one block per party
   *     whose policy forbids per-column disclosure; positive = towards default (adverse)
   */
  public record Explanation(
      String space, double baseValue, double output, List<Contribution> contributions) {
    public Explanation {
      contributions = List.copyOf(contributions);
    }
  }

  /**
   * One attribution.
   *
   * @param key stable key: {@code party:column} for a column, {@code party:*} for a party block
   * @param party the party whose data it is
   * @param block true when it stands for all of a party's columns
   * @param label display name per language (e.g. "Tax invoices (tax bureau)" / "纳税发票（税务局）")
   * @param value contribution to the output (log-odds of default); positive = adverse
   */
  public record Contribution(
      String key, String party, boolean block, Map<String, String> label, double value) {
    public Contribution {
      label = Map.copyOf(label);
    }
  }

  /**
   * A principal reason for an adverse decision.
   *
   * @param code the catalogue's reason code (e.g. "R07")
   * @param text the reason in plain language, per language
   * @param contribution the summed contribution of the characteristics behind it
   */
  public record Reason(String code, Map<String, String> text, double contribution) {
    public Reason {
      text = Map.copyOf(text);
    }
  }

  /**
   * A suggested change of the applicant's own actionable characteristics that the real model
   * re-scored as approved.
   *
   * @param changes what to change
   * @param newScore the re-scored points
   * @param newProbabilityOfDefault the re-scored probability of default
   */
  public record Counterfactual(
      List<Change> changes, double newScore, double newProbabilityOfDefault) {
    public Counterfactual {
      changes = List.copyOf(changes);
    }
  }

  /**
   * One changed characteristic (always one of the applicant's own, bank-side fields).
   *
   * @param column the bank's column
   * @param label display name per language
   * @param from the submitted value
   * @param to the suggested value
   */
  public record Change(String column, Map<String, String> label, double from, double to) {
    public Change {
      label = Map.copyOf(label);
    }
  }
}
