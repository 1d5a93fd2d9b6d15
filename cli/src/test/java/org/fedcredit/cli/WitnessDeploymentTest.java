package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fedcredit.cli.deploy.DeploymentFiles;
import org.fedcredit.cli.deploy.JobClient;
import org.fedcredit.coordinator.CoordinatorConfig;
import org.fedcredit.coordinator.CoordinatorDaemon;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.Verifier;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.node.ParticipantDaemon;
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
 * Witnesses in a real deployment (daemons in one JVM, gRPC with mutual TLS on loopback): every step
 * of a job is cosigned by both nodes, and a coordinator that rebuilt its log under the same key
 * (history rewritten) is refused by the nodes before the first step, failing the job.
 */
class WitnessDeploymentTest {

  @TempDir Path dir;
  final Map<String, Integer> ports = new LinkedHashMap<>();
  CoordinatorDaemon coordinator;
  final List<ParticipantDaemon> nodes = new ArrayList<>();

  static final String SPEC =
      "job: witnessed\nalgorithm: vertical-lr\ncrypto: paillier\nkey_bits: 2048\n"
          + "label_party: bank\ncoordinator: coordinator\npurpose: credit-scoring\n"
          + "parties:\n"
          + "  bank: {dataset: loans, label_column: y, columns: [x0]}\n"
          + "  tax-bureau: {dataset: filings, columns: [vat_m1]}\n"
          + "train: {epochs: 1, batch_size: 128, learning_rate: 0.15, seed: 1}\n";

  @BeforeEach
  void deploy() throws Exception {
    Random r = new Random(5);
    StringBuilder bank = new StringBuilder("id,y,x0\n");
    StringBuilder tax = new StringBuilder("id,vat_m1\n");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bank.append("E").append(i).append(',').append(i % 4 == 0 ? 1 : 0);
      bank.append(',').append(r.nextGaussian()).append('\n');
      tax.append("E").append(i).append(',').append(r.nextGaussian()).append('\n');
      ids.add("E" + i);
    }
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/bank.csv"), bank);
    Files.writeString(dir.resolve("data/tax.csv"), tax);
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
    DeploymentFiles.nodeConfig(
        dir,
        "tax-bureau",
        ports,
        "filings",
        "data/tax.csv",
        Optional.empty(),
        List.of(),
        "data/consent.csv",
        List.of("*"));
    start();
  }

  private void start() {
    coordinator =
        CoordinatorDaemon.start(CoordinatorConfig.load(dir.resolve("coordinator.yaml")), false);
    for (String p : List.of("bank", "tax-bureau")) {
      nodes.add(ParticipantDaemon.start(NodeConfig.load(dir.resolve(p + ".yaml")), false));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(ParticipantDaemon::close);
    nodes.clear();
    if (coordinator != null) {
      coordinator.close();
      coordinator = null;
    }
  }

  JobSummary runJob() throws Exception {
    Path certs = dir.resolve("certs");
    try (JobClient bank =
        new JobClient(
            TransportSecurity.mutualTls(
                new TlsIdentity(
                    certs.resolve("ca.crt"), certs.resolve("bank.crt"), certs.resolve("bank.key"))),
            PartyId.of("coordinator"),
            new PeerAddress("127.0.0.1", ports.get("coordinator")))) {
      JobSummary job = bank.submit(SPEC);
      return bank.watch(job.getJobId(), e -> {});
    }
  }

  private SignedCheckpoint stored(String party, NoteKeys.Verifier key) throws Exception {
    Path w = dir.resolve("work").resolve(party).resolve("witness");
    assertThat(Files.readString(w.resolve("log-key.pub")).trim()).isEqualTo(key.encode());
    return SignedCheckpoint.open(Files.readString(w.resolve("checkpoint")), key);
  }

  @Test
  void everyStepIsCosignedByBothNodesAndTheExportSaysSo() throws Exception {
    JobSummary done = runJob();
    assertThat(done.getState()).as(done.getMessage()).isEqualTo("succeeded");

    NoteKeys.Verifier key = coordinator.audit().verifier();
    List<Cosignature> cosigned = coordinator.audit().cosignatures().all();
    assertThat(cosigned.stream().map(Cosignature::witness).distinct())
        .containsExactlyInAnyOrder("bank", "tax-bureau");
    Verifier.Result r =
        Verifier.verify(
            coordinator.audit().export(),
            key,
            Optional.of(
                CertificateAuthorityCertificate.read(dir.resolve("certs").resolve("ca.crt"))));
    assertThat(r.verified()).as(r.problem()).isTrue();
    long bankSaw = stored("bank", key).size();
    assertThat(r.witnessed()).isEqualTo(Map.of("bank", bankSaw, "tax-bureau", bankSaw));
    assertThat(stored("tax-bureau", key).size()).isEqualTo(bankSaw);
    // Both were shown the same checkpoints; the log grew during the job (PSI counts, crypto
    // rounds), so each cosigned several sizes, the last one being what it stored.
    List<Long> bankSizes = sizes(cosigned, "bank");
    assertThat(sizes(cosigned, "tax-bureau")).isEqualTo(bankSizes);
    assertThat(bankSizes).hasSizeGreaterThanOrEqualTo(2).isSorted().endsWith(bankSaw);
    // The nodes witnessed the log once more when the job ended: what they cosigned last covers
    // the whole job, its model's release and its end included.
    assertThat(bankSaw).isEqualTo(coordinator.audit().size());
    assertThat(coordinator.audit().entry(bankSaw - 1).type()).isEqualTo("job-ended");
  }

  @Test
  void aCoordinatorThatRebuiltItsLogUnderTheSameKeyIsRefusedAndTheJobFailsNamingTheNode()
      throws Exception {
    assertThat(runJob().getState()).isEqualTo("succeeded");
    NoteKeys.Verifier key = coordinator.audit().verifier();
    long witnessed = stored("bank", key).size();
    stop();
    // The operator wipes the job store and its log but keeps the signing key: a new history.
    try (var files = Files.list(dir.resolve("work").resolve("coordinator"))) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("coordinator.")) {
          Files.delete(f);
        }
      }
    }
    start();

    JobSummary failed = runJob();

    assertThat(failed.getState()).isEqualTo("failed");
    assertThat(failed.getMessage())
        .containsAnyOf("bank failed in step", "tax-bureau failed in step")
        .contains("refuses the audit log checkpoint")
        .contains("the log this node saw before (size " + witnessed)
        .contains("split view or rewritten history");
    assertThat(coordinator.audit().cosignatures().all()).isEmpty();
  }

  private static List<Long> sizes(List<Cosignature> all, String witness) throws Exception {
    List<Long> out = new ArrayList<>();
    for (Cosignature c : all) {
      if (c.witness().equals(witness)) {
        out.add(c.cosigned().size());
      }
    }
    return out;
  }

  /** Reads the CA certificate PEM (the federation's trust anchor). */
  static final class CertificateAuthorityCertificate {
    static java.security.cert.X509Certificate read(Path pem) throws Exception {
      try (var in = Files.newInputStream(pem)) {
        return (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
    }
  }
}
