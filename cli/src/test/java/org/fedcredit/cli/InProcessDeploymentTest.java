package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.fedcredit.cli.deploy.DeploymentFiles;
import org.fedcredit.cli.deploy.JobClient;
import org.fedcredit.coordinator.CoordinatorConfig;
import org.fedcredit.coordinator.CoordinatorDaemon;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.node.ParticipantDaemon;
import org.fedcredit.protocols.coordinator.v1.JobEvent;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape in one JVM (daemons as objects, real gRPC with mutual TLS on loopback): the
 * coordinator's store in PostgreSQL, the tax bureau's dataset read from PostgreSQL by JDBC, and a
 * tax bureau that approves jobs by hand with {@code fedcredit node approve}.
 */
class InProcessDeploymentTest {

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  @TempDir Path dir;
  String schema = "fc_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  final List<AutoCloseable> running = new ArrayList<>();
  final Map<String, Integer> ports = new LinkedHashMap<>();

  @BeforeEach
  void deploy() throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
      s.execute("create schema " + schema + "_data");
      s.execute(
          "create table "
              + schema
              + "_data.filings (enterprise_id text primary key, vat_m1 double precision, vat_m2 double precision, grade text)");
      try (PreparedStatement p =
          c.prepareStatement("insert into " + schema + "_data.filings values (?, ?, ?, ?)")) {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 300; i++) {
          p.setString(1, "E" + i);
          p.setDouble(2, r.nextGaussian());
          if (i % 17 == 0) {
            p.setNull(3, java.sql.Types.DOUBLE);
          } else {
            p.setDouble(3, r.nextGaussian());
          }
          p.setString(4, i % 3 == 0 ? "A" : "B");
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    StringBuilder bank = new StringBuilder("id,y,x0\n");
    java.util.Random r = new java.util.Random(3);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 260; i++) {
      bank.append("E")
          .append(i)
          .append(',')
          .append(i % 4 == 0 ? 1 : 0)
          .append(',')
          .append(r.nextGaussian())
          .append('\n');
      ids.add("E" + i);
    }
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/bank.csv"), bank);
    DeploymentFiles.consentFile(
        dir.resolve("data/consent.csv"),
        ids,
        "credit-scoring",
        java.time.LocalDate.now().plusDays(30));

    CertificateAuthority.init(dir.resolve("certs"));
    for (String p : List.of("coordinator", "bank", "tax-bureau")) {
      CertificateAuthority.issue(dir.resolve("certs"), p);
      ports.put(p, DeploymentFiles.freePort());
    }
    DeploymentFiles.coordinatorConfig(dir, ports, List.of("bank", "tax-bureau"), 15);
    Files.writeString(
        dir.resolve("coordinator.yaml"),
        Files.readString(dir.resolve("coordinator.yaml"))
            + "store: {url: '"
            + PG
            + "?currentSchema="
            + schema
            + "', user: postgres}\n");
    DeploymentFiles.nodeConfig(
        dir,
        "bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("y"),
        List.of(),
        "data/consent.csv",
        List.of("*"));
    Files.writeString(
        dir.resolve("tax-bureau.yaml"),
        "party: tax-bureau\n"
            + "listen: {host: 127.0.0.1, port: "
            + ports.get("tax-bureau")
            + "}\n"
            + "coordinator: 127.0.0.1:"
            + ports.get("coordinator")
            + "\n"
            + "tls: {ca: certs/ca.crt, cert: certs/tax-bureau.crt, key: certs/tax-bureau.key}\n"
            + "work_dir: work/tax-bureau\n"
            + "datasets:\n"
            + "  filings:\n"
            + "    jdbc: {url: '"
            + PG
            + "', user: postgres, query: 'select enterprise_id, vat_m1, vat_m2, grade from "
            + schema
            + "_data.filings', id_column: enterprise_id, categorical: [grade]}\n"
            + "policy:\n"
            + "  approval: manual\n"
            + "  rules:\n"
            + "    - {requesters: [bank], purposes: [credit-scoring], dataset: filings, columns: [vat_m1, vat_m2, grade]}\n"
            + "consent:\n"
            + "  csv: {path: data/consent.csv}\n");

    running.add(
        CoordinatorDaemon.start(CoordinatorConfig.load(dir.resolve("coordinator.yaml")), false));
    running.add(ParticipantDaemon.start(NodeConfig.load(dir.resolve("bank.yaml")), false));
    running.add(ParticipantDaemon.start(NodeConfig.load(dir.resolve("tax-bureau.yaml")), false));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + schema + " cascade");
      s.execute("drop schema if exists " + schema + "_data cascade");
    }
  }

  JobClient bankClient() {
    Path certs = dir.resolve("certs");
    return new JobClient(
        TransportSecurity.mutualTls(
            new TlsIdentity(
                certs.resolve("ca.crt"), certs.resolve("bank.crt"), certs.resolve("bank.key"))),
        PartyId.of("coordinator"),
        new PeerAddress("127.0.0.1", ports.get("coordinator")));
  }

  static final String SPEC =
      "job: manual-approval\nalgorithm: vertical-lr\ncrypto: paillier\nkey_bits: 2048\n"
          + "label_party: bank\ncoordinator: coordinator\npurpose: credit-scoring\n"
          + "parties:\n"
          + "  bank: {dataset: loans, label_column: y, columns: [x0]}\n"
          + "  tax-bureau: {dataset: filings, columns: [vat_m1, vat_m2, grade], preprocessing: {impute: mean, standardize: true}}\n"
          + "train: {epochs: 2, batch_size: 128, learning_rate: 0.15, seed: 1}\n";

  @Test
  void aJobWaitsForTheOperatorThenRunsOnJdbcDataWithThePostgresStore() throws Exception {
    try (JobClient bank = bankClient()) {
      JobSummary job = bank.submit(SPEC);
      List<JobEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<JobSummary> end =
          CompletableFuture.supplyAsync(() -> bank.watch(job.getJobId(), events::add));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (events.stream().noneMatch(e -> e.getMessage().contains("fedcredit node approve"))) {
        assertThat(System.nanoTime())
            .as("the tax bureau should ask for manual approval")
            .isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(bank.get(job.getJobId()).getState()).isEqualTo("submitted");

      CliHarness.Run approve =
          CliHarness.run(
              "node",
              "approve",
              job.getJobId(),
              "--config",
              dir.resolve("tax-bureau.yaml").toString());
      assertThat(approve.exit()).as(approve.err()).isZero();
      assertThat(approve.out()).contains("accepted");

      JobSummary done = end.get(5, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(done.getState()).as(done.getMessage()).isEqualTo("succeeded");
      JobEvent psi =
          events.stream()
              .filter(
                  e ->
                      e.getKind().equals("step-finished")
                          && e.getStep().equals("psi")
                          && e.getParty().equals("tax-bureau"))
              .findFirst()
              .orElseThrow();
      assertThat(psi.getDetailJson()).contains("\"aligned_rows\":260");
      JobEvent prep =
          events.stream()
              .filter(
                  e ->
                      e.getKind().equals("step-finished")
                          && e.getStep().equals("preprocess")
                          && e.getParty().equals("tax-bureau"))
              .findFirst()
              .orElseThrow();
      assertThat(prep.getDetailJson())
          .contains("\"model_columns\":4"); // vat_m1, vat_m2, grade=A, grade=B
      assertThat(bank.model(job.getJobId()).getShardSha256Map()).containsKeys("bank", "tax-bureau");
      // The modelling team's command line sees the same job and model.
      String cfg = dir.resolve("bank.yaml").toString();
      CliHarness.Run list = CliHarness.run("job", "list", "--config", cfg);
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains(job.getJobId()).contains("succeeded");
      CliHarness.Run model = CliHarness.run("job", "model", job.getJobId(), "--config", cfg);
      assertThat(model.exit()).as(model.err()).isZero();
      assertThat(model.out()).contains("\"shard_sha256\"").contains("tax-bureau").contains("-v1");
      CliHarness.Run watch = CliHarness.run("job", "watch", job.getJobId(), "--config", cfg);
      assertThat(watch.exit()).isZero();
      assertThat(watch.out()).contains("step-finished").contains("succeeded");
      CliHarness.Run unknown = CliHarness.run("job", "watch", "job-nope", "--config", cfg);
      assertThat(unknown.exit()).isEqualTo(2);
      assertThat(unknown.err()).contains("no job job-nope");
    }
  }

  @Test
  void anOperatorsRefusalRejectsTheJobWithTheReason() throws Exception {
    try (JobClient bank = bankClient()) {
      JobSummary job = bank.submit(SPEC);
      long deadline = System.nanoTime() + 30_000_000_000L;
      CliHarness.Run refuse;
      do {
        Thread.sleep(200);
        refuse =
            CliHarness.run(
                "node",
                "approve",
                job.getJobId(),
                "--config",
                dir.resolve("tax-bureau.yaml").toString(),
                "--reject",
                "--reason",
                "board review pending");
        assertThat(System.nanoTime()).isLessThan(deadline);
      } while (refuse.exit() != 0);
      JobSummary done = bank.watch(job.getJobId(), e -> {});
      assertThat(done.getState()).isEqualTo("rejected");
      assertThat(done.getMessage()).contains("tax-bureau").contains("board review pending");
    }
  }

  @Test
  void aPartyWithAValidCertificateButNotOnTheCoordinatorsListIsRefused() throws Exception {
    CertificateAuthority.issue(dir.resolve("certs"), "evil-bank");
    ports.put("evil-bank", DeploymentFiles.freePort());
    DeploymentFiles.nodeConfig(
        dir,
        "evil-bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("y"),
        List.of(),
        "data/consent.csv",
        List.of("*"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ParticipantDaemon.start(NodeConfig.load(dir.resolve("evil-bank.yaml")), false))
        .isInstanceOf(ParticipantDaemon.NodeStartException.class)
        .hasMessageContaining("'evil-bank' is not known to this coordinator");
  }

  @Test
  void aSecureBoostJobRunsOverGrpcAndOnlyTheProviderKeepsItsThresholds() throws Exception {
    String spec =
        SPEC.replace(
                "job: manual-approval\nalgorithm: vertical-lr",
                "job: boosted\nalgorithm: secureboost")
            .replace(
                "train: {epochs: 2, batch_size: 128, learning_rate: 0.15, seed: 1}",
                "train: {trees: 2, depth: 2, bins: 8, min_samples_leaf: 10, seed: 3}");
    assertThat(spec).contains("algorithm: secureboost").contains("trees: 2");
    try (JobClient bank = bankClient()) {
      JobSummary job = bank.submit(spec);
      List<JobEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<JobSummary> end =
          CompletableFuture.supplyAsync(() -> bank.watch(job.getJobId(), events::add));
      long deadline = System.nanoTime() + 30_000_000_000L;
      CliHarness.Run approve;
      do {
        Thread.sleep(200);
        approve =
            CliHarness.run(
                "node",
                "approve",
                job.getJobId(),
                "--config",
                dir.resolve("tax-bureau.yaml").toString());
        assertThat(System.nanoTime()).isLessThan(deadline);
      } while (approve.exit() != 0);
      JobSummary done = end.get(5, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(done.getState()).as(done.getMessage()).isEqualTo("succeeded");
      JobEvent train =
          events.stream()
              .filter(
                  e ->
                      e.getKind().equals("step-finished")
                          && e.getStep().equals("train")
                          && e.getParty().equals("tax-bureau"))
              .findFirst()
              .orElseThrow();
      assertThat(train.getDetailJson()).contains("histograms_by_subtraction");
      String bankShard =
          Files.readString(dir.resolve("work/bank/models/" + job.getJobId() + "/bank.json"));
      String taxShard =
          Files.readString(
              dir.resolve("work/tax-bureau/models/" + job.getJobId() + "/tax-bureau.json"));
      assertThat(bankShard).contains("\"trees\"").doesNotContain("vat_m1");
      assertThat(taxShard).contains("split_rules");
      // The bank holds SecureBoost's key: its rounds (one per tree, after the key's setup) are in
      // the coordinator's audit log as the bank reported them, with the key it actually used and
      // the hashes of the histogram ciphertexts it received; the step event does not carry them.
      var audit = ((CoordinatorDaemon) running.get(0)).audit();
      List<org.fedcredit.coordinator.audit.AuditEntry> rounds =
          audit.entriesOfJob(job.getJobId()).stream()
              .map(org.fedcredit.coordinator.audit.AuditLog.Indexed::entry)
              .filter(e -> e.type().equals("crypto-round"))
              .toList();
      assertThat(rounds).extracting(e -> e.text("round")).containsExactly("setup", "0", "1");
      for (var r : rounds) {
        assertThat(r.text("reported_by")).isEqualTo("bank");
        assertThat(r.text("protocol")).isEqualTo("secureboost");
        assertThat(r.map("crypto")).containsEntry("key_bits", 2048).containsKey("library");
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> received =
          (List<Map<String, Object>>) rounds.get(1).fields().get("received");
      assertThat(received)
          .filteredOn(m -> "SplitCandidates".equals(m.get("type")))
          .isNotEmpty()
          .allSatisfy(
              m -> {
                assertThat(m.get("from")).isEqualTo("tax-bureau");
                assertThat((String) m.get("sha256")).hasSize(64);
                assertThat(((Number) m.get("ciphertexts")).intValue()).isPositive();
              });
      JobEvent bankTrain =
          events.stream()
              .filter(
                  e ->
                      e.getKind().equals("step-finished")
                          && e.getStep().equals("train")
                          && e.getParty().equals("bank"))
              .findFirst()
              .orElseThrow();
      assertThat(bankTrain.getDetailJson()).doesNotContain("audit_rounds").contains("trees");
    }
  }

  @Test
  void aScorecardJobRunsOverGrpcWithFederatedWoeBinning() throws Exception {
    String spec =
        SPEC.replace(
                "job: manual-approval\nalgorithm: vertical-lr", "job: card\nalgorithm: scorecard")
            .replace(
                "train: {epochs: 2, batch_size: 128, learning_rate: 0.15, seed: 1}",
                "binning: {method: quantile, bins: 4, monotone: false, min_bin_rows: 10}\n"
                    + "scorecard: {publish: [bank, tax-bureau]}\n"
                    + "train: {epochs: 2, batch_size: 128, learning_rate: 0.15, seed: 1}");
    assertThat(spec).contains("algorithm: scorecard").contains("bins: 4");
    try (JobClient bank = bankClient()) {
      JobSummary job = bank.submit(spec);
      List<JobEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<JobSummary> end =
          CompletableFuture.supplyAsync(() -> bank.watch(job.getJobId(), events::add));
      long deadline = System.nanoTime() + 30_000_000_000L;
      CliHarness.Run approve;
      do {
        Thread.sleep(200);
        approve =
            CliHarness.run(
                "node",
                "approve",
                job.getJobId(),
                "--config",
                dir.resolve("tax-bureau.yaml").toString());
        assertThat(System.nanoTime()).isLessThan(deadline);
      } while (approve.exit() != 0);
      JobSummary done = end.get(5, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(done.getState()).as(done.getMessage()).isEqualTo("succeeded");
      String taxShard =
          Files.readString(
              dir.resolve("work/tax-bureau/models/" + job.getJobId() + "/tax-bureau.json"));
      assertThat(taxShard).contains("scorecard_characteristics");
    }
  }
}
