package org.fedcredit.participantnode.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.participantnode.config.NodeConfig.Endpoint;
import org.fedcredit.participantnode.data.JdbcEndpoint;

/**
 * The {@code serving:} section of a node configuration: online scoring of one published model
 * (docs/node-config.md, docs/protocols/serving.md).
 *
 * <p>On a feature party it says which model the node answers the bank's scoring requests for, where
 * it looks the applicant up and whether the bank may see its attributions per column. On the bank
 * (the model's label party) it adds the decision API: where it listens, where the feature parties
 * are, how long to wait for them, the decision rule, the reason-code catalogue, the applicant's
 * actionable characteristics for counterfactual suggestions and the decision store.
 *
 * <pre>{@code
 * serving:
 *   model: sme-lr-2026-11                # the published model's job id
 *   dataset: invoices                    # feature party: its dataset (default: the only one)
 *   per_column_attributions: [bank]      # feature party: default [] = one block for all columns
 *   # the bank only:
 *   http: {host: 127.0.0.1, port: 8080}
 *   parties: {tax-bureau: 127.0.0.1:7101, utility: 127.0.0.1:7102}
 *   timeout_ms: 300
 *   approve_if: {max_probability_of_default: 0.2}     # or {min_score: 560}
 *   reason_codes: reason-codes.yaml      # or builtin:default-credit / builtin:sme
 *   actionable:
 *     overdraft_days_12m: {direction: down, min: 0, integer: true}
 *   store: {url: jdbc:postgresql://127.0.0.1:5432/bank, user: fc, password_env: FC_DB_PASSWORD}
 *   officer_token_env: FEDCREDIT_OFFICER_TOKEN
 * }</pre>
 *
 * @param model the job id of the published model; its shard is {@code
 *     work_dir/models/<model>/<party>.json} unless {@code shard} names a file
 * @param shard the shard file, when it is not in the work directory
 * @param dataset the dataset alias a feature party looks applicants up in
 * @param perColumnAttributions parties that may receive this party's attributions per column
 * @param bank the decision API, on the model's label party only
 */
public record ServingConfig(
    String model,
    Optional<Path> shard,
    Optional<String> dataset,
    List<String> perColumnAttributions,
    Optional<Bank> bank) {

  /** Default {@code timeout_ms}. */
  public static final int DEFAULT_TIMEOUT_MS = 300;

  public ServingConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(dataset, "dataset");
    perColumnAttributions = List.copyOf(perColumnAttributions);
    Objects.requireNonNull(bank, "bank");
  }

  /**
   * The bank's decision API.
   *
   * @param http where {@code POST /v1/decisions}, the borrower pages and the officer view listen
   * @param parties every feature party's gRPC endpoint (its node's {@code listen})
   * @param timeout how long to wait for all parties' answers
   * @param rule when an application is approved
   * @param reasonCodes a catalogue file, or {@code builtin:<name>}
   * @param actionable the applicant's characteristics that counterfactual suggestions may change
   * @param store the decision store; empty = embedded H2 under the work directory
   * @param officerToken the credit officer view's bearer token (from {@code officer_token_env});
   *     empty = the officer view is off
   */
  public record Bank(
      Endpoint http,
      Map<String, Endpoint> parties,
      Duration timeout,
      DecisionRule rule,
      String reasonCodes,
      Map<String, Actionable> actionable,
      Optional<JdbcEndpoint> store,
      Optional<String> officerToken) {
    public Bank {
      Objects.requireNonNull(http, "http");
      parties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parties));
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(reasonCodes, "reasonCodes");
      actionable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(actionable));
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(officerToken, "officerToken");
    }
  }

  /**
   * When an application is approved: probability of default at most {@code maxProbability}, or
   * score at least {@code minScore} (exactly one is set).
   */
  public record DecisionRule(Optional<Double> maxProbability, Optional<Double> minScore) {
    public DecisionRule {
      if (maxProbability.isPresent() == minScore.isPresent()) {
        throw new IllegalArgumentException("exactly one of maxProbability and minScore");
      }
    }

    @Override
    public String toString() {
      return maxProbability
          .map(p -> "approve if the probability of default is at most " + p)
          .orElseGet(() -> "approve if the score is at least " + minScore.get());
    }
  }

  /**
   * A characteristic of the applicant's own (bank-side) fields that suggestions may change.
   *
   * @param direction up, down or both
   * @param min lower bound (inclusive), empty = none
   * @param max upper bound (inclusive), empty = none
   * @param integer whether suggested values must be whole numbers
   */
  public record Actionable(
      Direction direction, Optional<Double> min, Optional<Double> max, boolean integer) {
    public Actionable {
      Objects.requireNonNull(direction, "direction");
    }
  }

  /** Which way an actionable characteristic may move. */
  public enum Direction {
    UP,
    DOWN,
    BOTH
  }
}
