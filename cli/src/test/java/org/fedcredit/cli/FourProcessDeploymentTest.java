package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedcredit.cli.deploy.ChildProcesses;
import org.fedcredit.cli.deploy.DeploymentFiles;
import org.fedcredit.cli.deploy.FourNodeDemo;
import org.fedcredit.cli.deploy.JobClient;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.CoordinatorProgram;
import org.fedcredit.modelzoo.job.FeaturePartyProgram;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.LabelPartyProgram;
import org.fedcredit.modelzoo.job.StepwiseSimulation;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.protocols.coordinator.v1.JobEvent;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment for real: the coordinator, a bank and two data providers as four JVM processes
 * talking gRPC with mutual TLS on loopback, on a slice of FATE's default_credit data (the host's
 * ten columns split between the two providers), with 2048-bit Paillier.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FourProcessDeploymentTest {

  static final Path DATA = Path.of("..", "examples", "default-credit");
  static final int ROWS = 1200;
  static final List<String> NODES = List.of("bank", "tax-bureau", "utility");

  @TempDir static Path dir;
  static ChildProcesses procs;
  static Map<String, Integer> ports = new LinkedHashMap<>();
  static JobClient bank;

  @BeforeAll
  static void deploy() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    List<String> guest = Files.readAllLines(DATA.resolve("default_credit_hetero_guest.csv"));
    List<String> host = Files.readAllLines(DATA.resolve("default_credit_hetero_host.csv"));
    // Bank: rows 1..ROWS; providers: overlapping but not identical windows.
    Files.write(dir.resolve("data/bank.csv"), guest.subList(0, ROWS + 1));
    List<String> tax = new ArrayList<>();
    List<String> util = new ArrayList<>();
    for (int i = 0; i <= ROWS + 100; i++) {
      String[] c = host.get(i).split(",", -1);
      tax.add(String.join(",", c[0], c[1], c[2], c[3], c[4], c[5]));
      if (i == 0 || i > 50) {
        util.add(String.join(",", c[0], c[6], c[7], c[8], c[9], c[10]));
      }
    }
    Files.write(dir.resolve("data/tax.csv"), tax);
    Files.write(dir.resolve("data/power.csv"), util);
    Set<String> bankIds = new HashSet<>();
    guest.subList(1, ROWS + 1).forEach(l -> bankIds.add(l.substring(0, l.indexOf(','))));
    List<String> hold = new ArrayList<>(List.of("id"));
    Files.readAllLines(DATA.resolve("default_credit_test_ids_seed42.csv")).stream()
        .skip(1)
        .filter(bankIds::contains)
        .forEach(hold::add);
    Files.write(dir.resolve("data/holdout.csv"), hold);

    Path certs = dir.resolve("certs");
    CertificateAuthority.init(certs);
    CertificateAuthority.issue(certs, "coordinator");
    for (String n : NODES) {
      CertificateAuthority.issue(certs, n);
    }
    ports.put("coordinator", DeploymentFiles.freePort());
    for (String n : NODES) {
      ports.put(n, DeploymentFiles.freePort());
    }
    ports.put("bank/metrics", DeploymentFiles.freePort());
    ports.put("coordinator/metrics", DeploymentFiles.freePort());
    DeploymentFiles.coordinatorConfig(dir, ports, NODES, 10);
    for (var e : Map.of("bank", guest, "tax-bureau", tax, "utility", util).entrySet()) {
      // Every enterprise of these extracts consented (consent filtering is tested elsewhere).
      DeploymentFiles.consentFile(
          dir.resolve("data/" + e.getKey() + "_consent.csv"),
          e.getValue().stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList(),
          "credit-scoring",
          java.time.LocalDate.now().plusYears(1));
    }
    DeploymentFiles.nodeConfig(
        dir,
        "bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("y"),
        List.of(),
        "data/bank_consent.csv",
        List.of("*"));
    DeploymentFiles.nodeConfig(
        dir,
        "tax-bureau",
        ports,
        "invoices",
        "data/tax.csv",
        Optional.empty(),
        List.of(),
        "data/tax-bureau_consent.csv",
        List.of("x0", "x1", "x2", "x3"));
    DeploymentFiles.nodeConfig(
        dir,
        "utility",
        ports,
        "power",
        "data/power.csv",
        Optional.empty(),
        List.of(),
        "data/utility_consent.csv",
        List.of("*"));

    procs = new ChildProcesses();
    startCoordinator();
    for (String n : NODES) {
      procs.start(
          n,
          dir.resolve("logs/" + n + ".log"),
          List.of("node", "--config", dir.resolve(n + ".yaml").toString()));
    }
    for (String n : NODES) {
      FourNodeDemo.awaitReady(procs, n, dir.resolve("work/" + n + "/ready.json"));
    }
    bank = client();
  }

  static void startCoordinator() throws Exception {
    Files.deleteIfExists(dir.resolve("work/coordinator/ready.json"));
    procs.start(
        "coordinator",
        dir.resolve("logs/coordinator.log"),
        List.of("coordinator", "--config", dir.resolve("coordinator.yaml").toString()));
    FourNodeDemo.awaitReady(procs, "coordinator", dir.resolve("work/coordinator/ready.json"));
  }

  static JobClient client() {
    Path certs = dir.resolve("certs");
    return new JobClient(
        TransportSecurity.mutualTls(
            new TlsIdentity(
                certs.resolve("ca.crt"), certs.resolve("bank.crt"), certs.resolve("bank.key"))),
        PartyId.of("coordinator"),
        new PeerAddress("127.0.0.1", ports.get("coordinator")));
  }

  @AfterAll
  static void stop() {
    if (bank != null) {
      bank.close();
    }
    if (procs != null) {
      procs.close();
      assertThat(procs.allStopped()).as("every process stopped").isTrue();
    }
  }

  static String spec(String name, int epochs, String taxColumns) {
    return "job: "
        + name
        + "\n"
        + "algorithm: vertical-lr\ncrypto: paillier\nkey_bits: 2048\n"
        + "label_party: bank\ncoordinator: coordinator\npurpose: credit-scoring\n"
        + "holdout_ids: data/holdout.csv\n"
        + "parties:\n"
        + "  bank: {dataset: loans, label_column: y, columns: [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12]}\n"
        + "  tax-bureau: {dataset: invoices, columns: ["
        + taxColumns
        + "]}\n"
        + "  utility: {dataset: power, columns: [x5, x6, x7, x8, x9]}\n"
        + "train: {epochs: "
        + epochs
        + ", batch_size: 400, learning_rate: 0.15, l2: 0, tolerance: 0, seed: 42}\n";
  }

  static List<JobEvent> events = new ArrayList<>();

  @Test
  @Order(1)
  void aJobOverFourProcessesLearnsExactlyTheInMemoryModel() throws Exception {
    String spec = spec("four-process-lr", 2, "x0, x1, x2, x3");
    JobSummary job = bank.submit(spec);
    JobSummary end = bank.watch(job.getJobId(), events::add);
    assertThat(end.getState())
        .as(end.getMessage() + "\n" + procs.tail("bank", 20))
        .isEqualTo("succeeded");
    assertThat(events)
        .extracting(JobEvent::getKind)
        .contains("party-accepted", "step-started", "step-finished", "succeeded");
    assertThat(
            events.stream()
                .filter(e -> e.getKind().equals("step-started"))
                .map(JobEvent::getStep)
                .toList())
        .containsExactlyElementsOf(VerticalJobParty.STEPS);

    // The same programs over an in-memory federation, on the same files, same seed.
    JobSpec js = JobSpec.fromMap(new ObjectMapper(new YAMLFactory()).readValue(spec, Map.class));
    LocalTable b =
        CsvDataSource.read(dir.resolve("data/bank.csv"), CsvDataSource.Spec.labelled("id", "y"));
    LocalTable t =
        CsvDataSource.read(dir.resolve("data/tax.csv"), CsvDataSource.Spec.features("id"))
            .project(List.of("x0", "x1", "x2", "x3"));
    LocalTable u =
        CsvDataSource.read(dir.resolve("data/power.csv"), CsvDataSource.Spec.features("id"));
    Set<String> holdout =
        new HashSet<>(
            Files.readAllLines(dir.resolve("data/holdout.csv"))
                .subList(1, Files.readAllLines(dir.resolve("data/holdout.csv")).size()));
    PaillierEngine.Options opts = PaillierEngine.Options.defaults();
    LabelPartyProgram lb = new LabelPartyProgram(js, b, Optional.empty(), holdout, opts);
    FeaturePartyProgram ft = new FeaturePartyProgram(js, "tax-bureau", t, Optional.empty(), opts);
    FeaturePartyProgram fu = new FeaturePartyProgram(js, "utility", u, Optional.empty(), opts);
    Map<PartyId, VerticalJobParty> programs = new LinkedHashMap<>();
    programs.put(PartyId.of("bank"), lb);
    programs.put(PartyId.of("tax-bureau"), ft);
    programs.put(PartyId.of("utility"), fu);
    programs.put(PartyId.of("coordinator"), new CoordinatorProgram(js, opts, (e, l, s) -> {}));
    StepwiseSimulation.run(programs, new InMemoryFederation(programs.keySet()), (k, s, r) -> {});

    JsonNode bankShard = shard("bank", end.getJobId());
    assertThat(doubles(bankShard.get("weights"))).containsExactly(lb.model().weights());
    assertThat(bankShard.get("intercept").asDouble()).isEqualTo(lb.model().intercept());
    assertThat(doubles(shard("tax-bureau", end.getJobId()).get("weights")))
        .containsExactly(ft.model().weights());
    assertThat(doubles(shard("utility", end.getJobId()).get("weights")))
        .containsExactly(fu.model().weights());
    // Every process serves Prometheus metrics: bytes per peer, Paillier operations, step times.
    String bankMetrics = http(ports.get("bank/metrics"), "/metrics");
    assertThat(bankMetrics)
        .contains("fedcredit_federation_bytes_sent_total{", "peer=\"tax-bureau\"")
        .contains("fedcredit_step_duration_seconds_count{", "job_step=\"train\"");
    assertThat(metric(bankMetrics, "fedcredit_paillier_operations_total", "op=\"encrypt\""))
        .isPositive();
    String coordinatorMetrics = http(ports.get("coordinator/metrics"), "/metrics");
    assertThat(metric(coordinatorMetrics, "fedcredit_jobs", "state=\"succeeded\"")).isEqualTo(1.0);
    assertThat(metric(coordinatorMetrics, "fedcredit_paillier_operations_total", "op=\"decrypt\""))
        .isPositive();
    assertThat(http(ports.get("coordinator/metrics"), "/health")).contains("UP");

    // The bank's shard holds its weights only; a provider's weights never reach the bank.
    assertThat(bankShard.toString()).doesNotContain(Double.toString(ft.model().weights()[0]));
  }

  static String http(int port, String path) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var resp =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    return resp.body();
  }

  /** The value of the first sample of {@code name} whose labels contain {@code label}. */
  static double metric(String text, String name, String label) {
    return text.lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + "{" + label + "} not in:\n" + text));
  }

  static JsonNode shard(String party, String job) throws IOException {
    return new ObjectMapper()
        .readTree(dir.resolve("work/" + party + "/models/" + job + "/" + party + ".json").toFile());
  }

  static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  @Test
  @Order(2)
  void aPolicyForbiddenColumnGetsTheJobRejectedNamingTheColumn() {
    JobSummary job = bank.submit(spec("greedy", 1, "x0, x4"));
    JobSummary end = bank.watch(job.getJobId(), e -> {});
    assertThat(end.getState()).isEqualTo("rejected");
    assertThat(end.getMessage()).contains("tax-bureau").contains("column 'x4'");
  }

  @Test
  @Order(3)
  void aRestartedCoordinatorKeepsEveryJobAndItsHistory() throws Exception {
    List<JobSummary> before = bank.list(10);
    procs.get("coordinator").destroy();
    procs.get("coordinator").waitFor();
    // The stopped coordinator exported its transparency log: it verifies with the log's public
    // key, and the first job's rounds carry the effective key size the coordinator used.
    Path export = dir.resolve("work/coordinator/audit/export.json");
    var verified =
        org.fedcredit.coordinator.translog.Verifier.verify(
            org.fedcredit.coordinator.translog.Export.read(export),
            org.fedcredit.coordinator.audit.LogKeys.readVerifier(
                dir.resolve("work/coordinator/audit/log.pub")));
    assertThat(verified.verified()).as(verified.toString()).isTrue();
    String firstJob = before.get(before.size() - 1).getJobId();
    List<org.fedcredit.coordinator.audit.AuditEntry> audit = new ArrayList<>();
    for (var e : org.fedcredit.coordinator.translog.Export.read(export).entries()) {
      var entry = org.fedcredit.coordinator.audit.AuditEntry.parse(e.data());
      if (entry.job().filter(firstJob::equals).isPresent()) {
        audit.add(entry);
      }
    }
    assertThat(audit)
        .extracting(org.fedcredit.coordinator.audit.AuditEntry::type)
        .startsWith("job-submitted", "party-decision", "party-decision", "party-decision")
        .contains("psi-completed", "crypto-round", "model-published")
        .endsWith("job-ended");
    List<org.fedcredit.coordinator.audit.AuditEntry> rounds =
        audit.stream().filter(e -> e.type().equals("crypto-round")).toList();
    assertThat(rounds).extracting(e -> e.text("round")).containsExactly("setup", "0", "1");
    for (var r : rounds) {
      assertThat(r.map("crypto"))
          .containsEntry("key_bits", 2048)
          .containsEntry("scheme", "paillier-djn");
      assertThat(r.map("participants")).containsOnlyKeys(NODES.toArray(String[]::new));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> received =
        (List<Map<String, Object>>) rounds.get(1).fields().get("received");
    // Every batch's masked gradient from each of the three parties, hashed as received.
    assertThat(received)
        .isNotEmpty()
        .allSatisfy(m -> assertThat((String) m.get("sha256")).hasSize(64));
    startCoordinator();
    try (JobClient again = client()) {
      List<JobSummary> after = again.list(10);
      assertThat(after)
          .extracting(JobSummary::getJobId)
          .containsExactlyElementsOf(before.stream().map(JobSummary::getJobId).toList());
      assertThat(after)
          .extracting(JobSummary::getState)
          .containsExactlyElementsOf(before.stream().map(JobSummary::getState).toList());
      String first = before.get(before.size() - 1).getJobId();
      List<JobEvent> replay = new ArrayList<>();
      again.watch(first, replay::add);
      assertThat(replay)
          .extracting(JobEvent::getSeq)
          .containsExactlyElementsOf(events.stream().map(JobEvent::getSeq).toList());
    }
  }

  @Test
  @Order(4)
  void aFeaturePartyKilledMidJobFailsTheJobNamingIt() throws Exception {
    try (JobClient c = client()) {
      JobSummary job = c.submit(spec("killed", 50, "x0, x1, x2, x3"));
      AtomicBoolean killed = new AtomicBoolean();
      long[] killedAt = new long[1];
      JobSummary end =
          c.watch(
              job.getJobId(),
              e -> {
                if (e.getKind().equals("progress")
                    && e.getStep().equals("train")
                    && killed.compareAndSet(false, true)) {
                  procs.get("utility").destroyForcibly();
                  killedAt[0] = System.nanoTime();
                }
              });
      assertThat(killed).as(end.getState() + ": " + end.getMessage()).isTrue();
      assertThat(end.getState()).isEqualTo("failed");
      assertThat(end.getMessage()).contains("utility").contains("train");
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt[0]))
          .isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  @Order(5)
  void aPartyThatHangsFailsTheJobWithinThePartyTimeoutNamingIt() throws Exception {
    // The utility was killed above: start it again, then freeze the tax bureau mid-training.
    Files.deleteIfExists(dir.resolve("work/utility/ready.json"));
    procs.start(
        "utility",
        dir.resolve("logs/utility-2.log"),
        List.of("node", "--config", dir.resolve("utility.yaml").toString()));
    FourNodeDemo.awaitReady(procs, "utility", dir.resolve("work/utility/ready.json"));
    long pid = procs.get("tax-bureau").pid();
    try (JobClient c = client()) {
      JobSummary job = c.submit(spec("frozen", 50, "x0, x1, x2, x3"));
      long[] frozenAt = new long[1];
      JobSummary end =
          c.watch(
              job.getJobId(),
              e -> {
                if (e.getKind().equals("progress") && frozenAt[0] == 0) {
                  signal("STOP", pid);
                  frozenAt[0] = System.nanoTime();
                }
              });
      assertThat(frozenAt[0]).as(end.getState() + ": " + end.getMessage()).isPositive();
      assertThat(end.getState()).isEqualTo("failed");
      assertThat(end.getMessage()).contains("tax-bureau stopped answering during step train");
      // party_timeout_seconds is 10 in this deployment.
      assertThat(Duration.ofNanos(System.nanoTime() - frozenAt[0]))
          .isLessThan(Duration.ofSeconds(30));
    } finally {
      signal("CONT", pid);
    }
  }

  static void signal(String sig, long pid) {
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
