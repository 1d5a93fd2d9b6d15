package org.fedcredit.cli.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the configuration files of a loopback deployment (the demo's and the integration tests'):
 * {@code coordinator.yaml} and one {@code <party>.yaml} per node, all in one directory with
 * certificates under {@code certs/} and work directories under {@code work/}.
 */
public final class DeploymentFiles {

  private DeploymentFiles() {}

  /** A TCP port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /**
   * Writes a consent registry in which every id consented to {@code scope} until {@code expires}
   * (the bank's own borrowers consent when they apply).
   */
  public static void consentFile(
      Path file, Iterable<String> ids, String scope, java.time.LocalDate expires)
      throws IOException {
    StringBuilder b = new StringBuilder("enterprise_id,scope,expires\n");
    for (String id : ids) {
      b.append(id).append(',').append(scope).append(',').append(expires).append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  /**
   * The metrics line of {@code party}'s config: port {@code ports.get(party + "/metrics")}, if set.
   */
  private static String metrics(Map<String, Integer> ports, String party) {
    Integer p = ports.get(party + "/metrics");
    return p == null ? "" : "metrics: {port: " + p + "}\n";
  }

  /** Writes {@code dir/coordinator.yaml}. */
  public static Path coordinatorConfig(
      Path dir, Map<String, Integer> ports, List<String> parties, int partyTimeoutSeconds)
      throws IOException {
    String yaml =
        "# The coordinator: schedules jobs, decrypts only masked values, keeps the job store.\n"
            + "party: coordinator\n"
            + "listen: {host: 127.0.0.1, port: "
            + ports.get("coordinator")
            + "}\n"
            + "tls: {ca: certs/ca.crt, cert: certs/coordinator.crt, key: certs/coordinator.key}\n"
            + "work_dir: work/coordinator\n"
            + "parties: ["
            + String.join(", ", parties)
            + "]\n"
            + "party_timeout_seconds: "
            + partyTimeoutSeconds
            + "\n"
            + metrics(ports, "coordinator");
    Path f = dir.resolve("coordinator.yaml");
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  /**
   * Writes {@code dir/<party>.yaml}: one CSV dataset, a policy letting the bank use {@code
   * allowedColumns} for credit scoring, and its consent registry.
   */
  public static Path nodeConfig(
      Path dir,
      String party,
      Map<String, Integer> ports,
      String alias,
      String csv,
      Optional<String> label,
      List<String> categorical,
      String consentCsv,
      List<String> allowedColumns)
      throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("# The ").append(party).append("'s participant node.\n");
    y.append("party: ").append(party).append('\n');
    y.append("listen: {host: 127.0.0.1, port: ").append(ports.get(party)).append("}\n");
    y.append("coordinator: 127.0.0.1:").append(ports.get("coordinator")).append('\n');
    y.append("tls: {ca: certs/ca.crt, cert: certs/")
        .append(party)
        .append(".crt, key: certs/")
        .append(party)
        .append(".key}\n");
    y.append("work_dir: work/").append(party).append('\n');
    y.append("heartbeat_seconds: 2\n");
    y.append(metrics(ports, party));
    y.append("datasets:\n  ")
        .append(alias)
        .append(": {csv: {path: ")
        .append(csv)
        .append(", id_column: id");
    label.ifPresent(l -> y.append(", label_column: ").append(l));
    if (!categorical.isEmpty()) {
      y.append(", categorical: [").append(String.join(", ", categorical)).append(']');
    }
    y.append("}}\n");
    y.append(
        "policy:\n  approval: auto\n  rules:\n    - requesters: [bank]\n      purposes: [credit-scoring]\n");
    y.append("      dataset: ").append(alias).append('\n');
    y.append("      columns: [")
        .append(String.join(", ", allowedColumns.stream().map(c -> "'" + c + "'").toList()))
        .append("]\n");
    y.append("consent:\n  csv: {path: ").append(consentCsv).append("}\n");
    Path f = dir.resolve(party + ".yaml");
    Files.writeString(f, y.toString(), StandardCharsets.UTF_8);
    return f;
  }

  /**
   * Writes the configuration of the synthetic SME deployment in {@code dir} (data from {@code
   * SmeDataSynthesizer} under {@code dir/data}): {@code coordinator.yaml}, the bank's consent
   * registry (its own borrowers consent when they apply) and one node configuration each for the
   * bank ({@code loans}), the tax bureau ({@code invoices}) and the utility ({@code power}), each
   * letting the bank use all its columns for credit scoring.
   *
   * @param ports the coordinator's and each node's port, by party
   * @param bankIds the bank's borrowers
   */
  public static void smeDeployment(Path dir, Map<String, Integer> ports, List<String> bankIds)
      throws IOException {
    coordinatorConfig(dir, ports, List.of("bank", "tax-bureau", "utility"), 20);
    consentFile(
        dir.resolve("data/bank_consent.csv"),
        bankIds,
        org.fedcredit.modelzoo.synth.SmeDataSynthesizer.CONSENT_SCOPE,
        java.time.LocalDate.now().plusYears(1));
    nodeConfig(
        dir,
        "bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("default"),
        List.of("industry", "region"),
        "data/bank_consent.csv",
        List.of("*"));
    nodeConfig(
        dir,
        "tax-bureau",
        ports,
        "invoices",
        "data/tax_bureau.csv",
        Optional.empty(),
        List.of("tax_grade"),
        "data/tax_bureau_consent.csv",
        List.of("*"));
    nodeConfig(
        dir,
        "utility",
        ports,
        "power",
        "data/utility.csv",
        Optional.empty(),
        List.of(),
        "data/utility_consent.csv",
        List.of("*"));
  }

  /**
   * Appends the {@code serving:} sections of the SME deployment (bank, tax bureau, utility) to
   * their node configurations in {@code dir}: the bank decides on the model with the SME reason
   * codes, approving at a probability of default of at most 0.25, with loan amount, loan term and
   * credit-line use as the applicant's actionable characteristics; the tax bureau discloses its
   * attributions to the bank per column, the utility as one block.
   *
   * @param model the published model's job id (or, with {@code shards}, the shard's job name)
   * @param shards where the shards are ({@code <dir>/<party>.json}), if not in the work directories
   * @param http the bank's decision API port
   * @param timeoutMs how long the bank waits for both feature parties
   */
  public static void smeServing(
      Path dir,
      Map<String, Integer> ports,
      String model,
      Optional<String> shards,
      int http,
      int timeoutMs)
      throws IOException {
    java.util.function.Function<String, String> shard =
        party -> shards.map(d -> "  shard: " + d + "/" + party + ".json\n").orElse("");
    append(
        dir.resolve("bank.yaml"),
        "serving:\n  model: "
            + model
            + "\n"
            + shard.apply("bank")
            + "  http: {host: 127.0.0.1, port: "
            + http
            + "}\n"
            + "  parties: {tax-bureau: 127.0.0.1:"
            + ports.get("tax-bureau")
            + ", utility: 127.0.0.1:"
            + ports.get("utility")
            + "}\n"
            + "  timeout_ms: "
            + timeoutMs
            + "\n"
            + "  approve_if: {max_probability_of_default: 0.25}\n"
            + "  reason_codes: builtin:sme\n"
            + "  actionable:\n"
            + "    loan_amount: {direction: down, min: 10000}\n"
            + "    loan_term_months: {direction: both, min: 3, max: 60, integer: true}\n"
            + "    credit_utilization: {direction: down, min: 0, max: 1}\n");
    append(
        dir.resolve("tax-bureau.yaml"),
        "serving:\n  model: "
            + model
            + "\n"
            + shard.apply("tax-bureau")
            + "  per_column_attributions: [bank]\n");
    append(
        dir.resolve("utility.yaml"), "serving:\n  model: " + model + "\n" + shard.apply("utility"));
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
  }
}
