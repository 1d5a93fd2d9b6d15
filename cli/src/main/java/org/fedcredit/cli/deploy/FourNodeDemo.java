package org.fedcredit.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.audit.EntryText;
import org.fedcredit.coordinator.audit.LogKeys;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.Verifier;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer;
import org.fedcredit.participantnode.serving.web.DecisionWebServer;
import org.fedcredit.protocols.coordinator.v1.JobEvent;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;

/**
 * The deployment demo: in a fresh work directory, synthesise three institutions' SME data, create a
 * private CA and a certificate per institution, write one configuration file each, start the
 * coordinator, the bank, the tax bureau and the utility as four JVM processes talking gRPC with
 * mutual TLS on loopback, submit a vertical LR job as the bank, follow it, and stop every process.
 */
public final class FourNodeDemo {

  /** What the demo needs to know. */
  public record Options(
      Path workDir, int enterprises, long seed, int epochs, int keyBits, boolean plaintext) {}

  /** The outcome, for people and machines. */
  public record Result(Map<String, Object> report, boolean succeeded) {}

  static final String COORDINATOR = "coordinator";
  static final List<String> NODES = List.of("bank", "tax-bureau", "utility");

  private final Options o;
  private final PrintWriter progress;
  private final ObjectMapper json = new ObjectMapper();

  public FourNodeDemo(Options options, PrintWriter progress) {
    this.o = options;
    this.progress = progress;
  }

  private void say(String fmt, Object... args) {
    progress.printf(Locale.ROOT, fmt + "%n", args);
    progress.flush();
  }

  public Result run() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Path w = o.workDir().toAbsolutePath();
    Files.createDirectories(w);

    // 1. Data: three institutions' extracts, consent registries and the bank's hold-out ids.
    SmeDataSynthesizer.DataSet data =
        SmeDataSynthesizer.generate(
            SmeDataSynthesizer.Options.defaults()
                .withEnterprises(o.enterprises())
                .withSeed(o.seed()));
    SmeDataSynthesizer.write(data, w.resolve("data"), false);
    say(
        "[1/6] synthetic SME data: bank %,d loans, tax bureau %,d enterprises, utility %,d (in %s)",
        data.bank().rows().size(),
        data.taxBureau().rows().size(),
        data.utility().rows().size(),
        w.resolve("data"));

    // 2. Identities: a private CA and one certificate per institution.
    Path certs = w.resolve("certs");
    CertificateAuthority.init(certs);
    for (String p : parties()) {
      CertificateAuthority.issue(certs, p);
    }
    say("[2/6] private CA and mTLS certificates for %s", String.join(", ", parties()));

    // 3. One configuration file per process.
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String p : parties()) {
      ports.put(p, DeploymentFiles.freePort());
    }
    DeploymentFiles.smeDeployment(
        w, ports, data.bank().rows().stream().map(r -> r.get(0)).toList());
    String spec = jobSpec(data);
    Files.writeString(w.resolve("job.yaml"), spec, StandardCharsets.UTF_8);

    // 4. Four processes.
    Map<String, Object> report = new LinkedHashMap<>();
    try (ChildProcesses procs = new ChildProcesses()) {
      procs.start(
          COORDINATOR,
          w.resolve("logs/coordinator.log"),
          List.of("coordinator", "--config", w.resolve("coordinator.yaml").toString()));
      awaitReady(procs, COORDINATOR, w.resolve("work/coordinator/ready.json"));
      for (String n : NODES) {
        procs.start(
            n,
            w.resolve("logs/" + n + ".log"),
            List.of("node", "--config", w.resolve(n + ".yaml").toString()));
      }
      for (String n : NODES) {
        awaitReady(procs, n, w.resolve("work/" + n + "/ready.json"));
      }
      say(
          "[3/6] coordinator, bank, tax-bureau and utility running as 4 processes (logs in %s)",
          w.resolve("logs"));

      // 5. The bank submits the job and follows it.
      TransportSecurity bank =
          TransportSecurity.mutualTls(
              new TlsIdentity(
                  certs.resolve("ca.crt"), certs.resolve("bank.crt"), certs.resolve("bank.key")));
      long jobStart = System.nanoTime();
      try (JobClient client =
          new JobClient(
              bank,
              PartyId.of(COORDINATOR),
              new PeerAddress("127.0.0.1", ports.get(COORDINATOR)))) {
        JobSummary job = client.submit(spec);
        say("[4/6] job %s submitted by the bank; following it:", job.getJobId());
        Map<String, Map<String, JsonNode>> details = new TreeMap<>();
        JobSummary end = client.watch(job.getJobId(), e -> show(e, details));
        report.put("job_id", end.getJobId());
        report.put("state", end.getState());
        report.put("message", end.getMessage());
        report.put("seconds_job", (System.nanoTime() - jobStart) / 1e9);
        if (!end.getState().equals("succeeded")) {
          say("job %s %s: %s", end.getJobId(), end.getState(), end.getMessage());
          return new Result(report, false);
        }
        summarise(report, details);
        report.put("model", JobClient.toMap(client.model(end.getJobId())));
      }
      report.put("decisions", decide(w, procs, ports, (String) report.get("job_id")));
    } finally {
      report.put("seconds_total", (System.nanoTime() - t0) / 1e9);
      report.put("workdir", w.toString());
    }
    report.put("processes_left_running", 0);
    Map<String, Object> audit = auditSummary(w, (String) report.get("job_id"));
    report.put("audit", audit);
    say(
        "[6/6] all four processes stopped; the coordinator's audit log holds %s entries, %s:"
            + " %s crypto rounds of job %s under a %s-bit key and the %s decisions served; check"
            + " it yourself: fedcredit audit verify --dir %s",
        audit.get("entries"),
        Boolean.TRUE.equals(audit.get("verified")) ? "verified" : "NOT verified",
        audit.get("crypto_rounds"),
        report.get("job_id"),
        audit.get("key_bits"),
        audit.get("decisions_logged"),
        w);
    return new Result(report, true);
  }

  /**
   * What the coordinator's transparency log (exported when it stopped) says about the job: its
   * size, whether it verifies with the log's public key, and the job's crypto rounds.
   */
  static Map<String, Object> auditSummary(Path w, String jobId) throws IOException {
    Path export = w.resolve("work/coordinator/audit/export.json");
    Path key = w.resolve("work/coordinator/audit/log.pub");
    if (!Files.isRegularFile(export)) {
      throw new DemoFailedException(
          "the coordinator did not export its audit log to "
              + export
              + " when it stopped; see "
              + w.resolve("logs/coordinator.log"));
    }
    Export e = Export.read(export);
    Verifier.Result v = Verifier.verify(e, LogKeys.readVerifier(key));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("export", export.toString());
    out.put("entries", v.leaves());
    out.put("root", v.rootHex());
    out.put("verified", v.verified());
    if (!v.verified()) {
      out.put("problem", v.problem());
    }
    List<AuditLog.Indexed> entries = new ArrayList<>();
    for (Export.Entry entry : e.entries()) {
      entries.add(new AuditLog.Indexed(entry.index(), AuditEntry.parse(entry.data())));
    }
    EntryText.Job job =
        EntryText.job(
            jobId,
            entries.stream().filter(i -> i.entry().job().equals(Optional.of(jobId))).toList());
    java.util.Set<Object> keyBits = new java.util.TreeSet<>();
    job.rounds().forEach(r -> keyBits.add(r.map("crypto").get("key_bits")));
    out.put("crypto_rounds", job.rounds().size());
    // Decisions of this job's model: each points at the model's release entry.
    out.put("decisions_logged", EntryText.decisionsServed(job, entries));
    out.put("key_bits", keyBits.size() == 1 ? keyBits.iterator().next() : keyBits);
    return out;
  }

  /**
   * Step 5: the three nodes restart with {@code serving:} for the model just published, and the
   * bank decides on two of its applicants — one refused, one approved — over the same mTLS links:
   * each decision asks the tax bureau and the utility for their parts, explains, gives reasons and
   * suggestions, and is stored with a page for the borrower.
   */
  private List<Map<String, Object>> decide(
      Path w, ChildProcesses procs, Map<String, Integer> ports, String job)
      throws IOException, InterruptedException {
    for (String n : NODES) {
      Process p = procs.get(n);
      p.destroy();
      p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      Files.deleteIfExists(w.resolve("work/" + n + "/ready.json"));
    }
    int http = DeploymentFiles.freePort();
    DeploymentFiles.smeServing(w, ports, job, Optional.empty(), http, 2000);
    for (String n : NODES) {
      procs.start(
          n,
          w.resolve("logs/" + n + "-serving.log"),
          List.of("node", "--config", w.resolve(n + ".yaml").toString()));
    }
    for (String n : NODES) {
      awaitReady(procs, n, w.resolve("work/" + n + "/ready.json"));
    }
    say("[5/6] the nodes serve model %s; the bank decides on two applicants:", job);
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + http + "/v1/decisions");
    List<Map<String, Object>> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    JsonNode firstRefusal = null;
    int tried = 0;
    for (String body : ServingBench.applications(w).values()) {
      java.net.http.HttpResponse<String> r =
          client.send(
              java.net.http.HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new DemoFailedException(
            "the decision API answered " + r.statusCode() + ": " + r.body());
      }
      JsonNode d = json.readTree(r.body());
      String outcome = d.get("outcome").asText();
      tried++;
      if (outcome.equals("REFUSED") && d.get("counterfactuals").isEmpty() && tried < 300) {
        // Prefer a refusal the applicant can act on: one with suggestions.
        firstRefusal = firstRefusal == null ? d : firstRefusal;
        continue;
      }
      if (!seen.add(outcome) || outcome.equals("CANNOT_DECIDE")) {
        continue;
      }
      out.add(shown(d, http));
      if (seen.contains("APPROVED") && seen.contains("REFUSED")) {
        break;
      }
    }
    if (!seen.contains("REFUSED") && firstRefusal != null) {
      out.add(shown(firstRefusal, http));
    }
    if (!out.isEmpty()) {
      modelProof(w, out.get(0));
    }
    return out;
  }

  /**
   * Follows a decision page's link to the proof of its model's release and checks it with the log's
   * public key, as a borrower's adviser could: the page's model is the one the coordinator logged
   * as published.
   */
  private void modelProof(Path w, Map<String, Object> decision)
      throws IOException, InterruptedException {
    String url = decision.get("page") + DecisionWebServer.MODEL_PROOF_SUFFIX;
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new DemoFailedException(
          "the decision page's model proof "
              + url
              + " answered "
              + r.statusCode()
              + ": "
              + r.body());
    }
    EntryProof proof = EntryProof.parse(r.body());
    SignedCheckpoint c =
        proof.verify(LogKeys.readVerifier(w.resolve("work/coordinator/audit/log.pub")));
    decision.put("model_release_entry", proof.index());
    say(
        "      the page links to the proof that its model was released: entry #%d (%s) of the"
            + " audit log, in the signed checkpoint of size %d — verified",
        proof.index(), proof.entry().text("model"), c.size());
  }

  private Map<String, Object> shown(JsonNode d, int http) {
    showDecision(d, "http://127.0.0.1:" + http);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enterprise_id", d.get("enterpriseId").asText());
    m.put("outcome", d.get("outcome").asText());
    m.put("probability_of_default", d.get("probabilityOfDefault").asDouble());
    m.put("score", d.get("score").asDouble());
    List<String> codes = new ArrayList<>();
    d.get("reasons").forEach(x -> codes.add(x.get("code").asText()));
    m.put("reason_codes", codes);
    m.put("suggestions", d.get("counterfactuals").size());
    m.put("page", "http://127.0.0.1:" + http + d.get("page").asText());
    return m;
  }

  private void showDecision(JsonNode d, String base) {
    say(
        "      %s %s: probability of default %.1f %%, score %.0f",
        d.get("enterpriseId").asText(),
        d.get("outcome").asText(),
        100 * d.get("probabilityOfDefault").asDouble(),
        d.get("score").asDouble());
    for (JsonNode r : d.get("reasons")) {
      say(
          "        reason %s: %s / %s",
          r.get("code").asText(),
          r.get("text").get("en").asText(),
          r.get("text").get("zh").asText());
    }
    for (JsonNode c : d.get("counterfactuals")) {
      List<String> changes = new ArrayList<>();
      c.get("changes")
          .forEach(
              x ->
                  changes.add(
                      String.format(
                          Locale.ROOT,
                          "%s %s → %s",
                          x.get("column").asText(),
                          number(x.get("from").asDouble()),
                          number(x.get("to").asDouble()))));
      say(
          "        would be approved with %s (re-scored: %.1f %%)",
          String.join(", ", changes), 100 * c.get("newProbabilityOfDefault").asDouble());
    }
    say("        the borrower's page: %s%s (while the nodes run)", base, d.get("page").asText());
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) x)
        : String.format(Locale.ROOT, "%.3f", x);
  }

  private static List<String> parties() {
    List<String> all = new ArrayList<>();
    all.add(COORDINATOR);
    all.addAll(NODES);
    return all;
  }

  /** Waits until process {@code name} wrote its ready file; fails with its log if it died. */
  public static void awaitReady(ChildProcesses procs, String name, Path ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(ready)) {
      Process p = procs.get(name);
      if (!p.isAlive()) {
        throw new DemoFailedException(
            name
                + " stopped during start-up (exit "
                + p.exitValue()
                + "); its log ends with:\n"
                + procs.tail(name, 15));
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailedException(
            name
                + " did not become ready within 90 s; its log ends with:\n"
                + procs.tail(name, 15));
      }
      Thread.sleep(100);
    }
  }

  private final Map<String, Integer> epochsSeen = new TreeMap<>();

  private void show(JobEvent e, Map<String, Map<String, JsonNode>> details) {
    switch (e.getKind()) {
      case "party-accepted" ->
          say("      %s accepted (its policy allows the columns asked for)", e.getParty());
      case "party-rejected", "rejected", "failed", "cancelled" ->
          say("      %s: %s", e.getKind(), e.getMessage());
      case "step-started" -> {
        int k = VerticalJobParty.STEPS.indexOf(e.getStep());
        say("      %s %s", bar(k, VerticalJobParty.STEPS.size()), e.getStep());
      }
      case "progress" -> {
        if (e.getStep().equals("train")) {
          say(
              "      %s %s",
              bar(epochsSeen.merge("train", 1, Integer::sum), o.epochs()), e.getMessage());
        } else {
          say("      %s", e.getMessage());
        }
      }
      case "step-finished" -> {
        try {
          details
              .computeIfAbsent(e.getStep(), k -> new TreeMap<>())
              .put(e.getParty(), json.readTree(e.getDetailJson()));
        } catch (IOException ex) {
          throw new DemoFailedException(
              "unreadable step report from " + e.getParty() + ": " + ex.getMessage());
        }
      }
      default -> {}
    }
  }

  private static String bar(int done, int total) {
    int width = 20;
    int filled = Math.min(width, Math.round(width * (float) done / Math.max(1, total)));
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  private void summarise(Map<String, Object> report, Map<String, Map<String, JsonNode>> d) {
    JsonNode psi = d.get("psi").get("bank");
    report.put("rows_aligned", psi.get("aligned_rows").asInt());
    Map<String, Object> consent = new TreeMap<>();
    d.get("psi")
        .forEach(
            (p, r) -> {
              if (r.has("rows_without_consent"))
                consent.put(p, r.get("rows_without_consent").asInt());
            });
    report.put("rows_without_consent", consent);
    JsonNode eval = d.get("evaluate").get("bank");
    double fed = eval.get("metrics").get("auc").asDouble();
    double alone = eval.get("bank_only_metrics").get("auc").asDouble();
    report.put("federated_auc", fed);
    report.put("bank_alone_auc", alone);
    report.put("auc_lift", fed - alone);
    report.put("federated_ks", eval.get("metrics").get("ks").asDouble());
    report.put("holdout_rows", eval.get("holdout_rows").asInt());
    Map<String, Long> bytes = new TreeMap<>();
    d.get("publish")
        .forEach(
            (p, r) -> {
              if (r.has("bytes_sent")) {
                r.get("bytes_sent")
                    .fields()
                    .forEachRemaining(f -> bytes.put(p + "->" + f.getKey(), f.getValue().asLong()));
              }
            });
    report.put("bytes_by_pair", bytes);
    report.put("bytes_total", bytes.values().stream().mapToLong(Long::longValue).sum());
    Map<String, String> shards = new TreeMap<>();
    d.get("publish")
        .forEach(
            (p, r) -> {
              if (r.has("shard_sha256")) shards.put(p, r.get("shard_sha256").asText());
            });
    report.put("model_shards_sha256", shards);
  }

  private String jobSpec(SmeDataSynthesizer.DataSet data) {
    StringBuilder y = new StringBuilder();
    y.append(
        "# The bank's job: vertical logistic regression with the tax bureau and the utility.\n");
    y.append("job: sme-credit-vertical-lr\nalgorithm: vertical-lr\n");
    y.append("crypto: ").append(o.plaintext() ? "plaintext-insecure" : "paillier").append('\n');
    y.append("key_bits: ").append(o.keyBits()).append('\n');
    y.append("label_party: bank\ncoordinator: coordinator\npurpose: credit-scoring\n");
    y.append("holdout_ids: data/holdout_ids.csv\n");
    y.append("parties:\n");
    y.append("  bank:\n    dataset: loans\n    label_column: default\n    columns: ")
        .append(columns(data.bank(), "default"))
        .append('\n');
    y.append("    preprocessing: {impute: mean, standardize: true}\n");
    y.append("  tax-bureau:\n    dataset: invoices\n    columns: ")
        .append(columns(data.taxBureau(), null))
        .append('\n');
    y.append("    preprocessing: {impute: mean, standardize: true}\n");
    y.append("  utility:\n    dataset: power\n    columns: ")
        .append(columns(data.utility(), null))
        .append('\n');
    y.append("    preprocessing: {impute: mean, standardize: true}\n");
    y.append("train: {epochs: ")
        .append(o.epochs())
        .append(", batch_size: 1024, learning_rate: 0.3, l2: 0, tolerance: 0, seed: 42}\n");
    return y.toString();
  }

  private static String columns(SmeDataSynthesizer.Table t, String label) {
    List<String> cols = new ArrayList<>(t.header());
    cols.remove("id");
    if (label != null) {
      cols.remove(label);
    }
    return "[" + String.join(", ", cols) + "]";
  }

  /** The demo could not complete; the message says where and shows the relevant log lines. */
  public static final class DemoFailedException extends RuntimeException {
    public DemoFailedException(String message) {
      super(message);
    }
  }
}
