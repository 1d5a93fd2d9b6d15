package org.fedcredit.participantnode.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.policy.ColumnPolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.transport.grpc.JobAuthorizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's admission of jobs and of federation messages, without the network. */
class NodeJobsTest {

  static final PartyId SELF = PartyId.of("tax-bureau");
  static final PartyId COORDINATOR = PartyId.of("coordinator");
  static final PartyId BANK = PartyId.of("bank");

  @TempDir Path dir;
  NodeJobs jobs;
  Map<PartyId, String> addresses =
      Map.of(BANK, "127.0.0.1:1", SELF, "127.0.0.1:2", COORDINATOR, "127.0.0.1:3");

  NodeJobs node(ColumnPolicy.Approval approval) {
    return new NodeJobs(
        new NodeJobs.Context(
            SELF,
            COORDINATOR,
            dir,
            dir.resolve("work"),
            Map.of(
                "invoices",
                new DataSource.CsvSource(
                    "invoices", dir.resolve("tax.csv"), CsvDataSource.Spec.features("id"))),
            new ColumnPolicy(
                approval,
                List.of(
                    new ColumnPolicy.Rule(
                        Set.of(BANK),
                        Set.of("credit-scoring"),
                        "invoices",
                        Set.of("vat_m1", "vat_m2")))),
            Optional.empty(),
            (job, peers) -> {
              throw new AssertionError("no federation in these tests");
            },
            PaillierEngine.Options.defaults(),
            false,
            (step, d) -> {}));
  }

  @BeforeEach
  void data() throws Exception {
    Files.writeString(dir.resolve("tax.csv"), "id,vat_m1,vat_m2,secret\nE1,1,2,3\nE2,4,5,6\n");
    jobs = node(ColumnPolicy.Approval.AUTO);
  }

  static String spec(String columns, String crypto) {
    return "job: j\ncrypto: "
        + crypto
        + "\nlabel_party: bank\ncoordinator: coordinator\n"
        + "parties:\n  bank: {dataset: loans, label_column: y, columns: [x]}\n"
        + "  tax-bureau: {dataset: invoices, columns: ["
        + columns
        + "]}\n";
  }

  @Test
  void acceptsWhatThePolicyAllowsAndRejectsAForbiddenColumnByName() {
    assertThat(
            jobs.propose(COORDINATOR, "job-1", spec("vat_m1, vat_m2", "paillier"), BANK, addresses)
                .verdict())
        .isEqualTo(NodeJobs.Answer.Verdict.ACCEPTED);
    NodeJobs.Answer no =
        jobs.propose(COORDINATOR, "job-2", spec("vat_m1, secret", "paillier"), BANK, addresses);
    assertThat(no.verdict()).isEqualTo(NodeJobs.Answer.Verdict.REJECTED);
    assertThat(no.reason()).contains("column 'secret'");
  }

  @Test
  void refusesUnencryptedJobsProposalsFromOthersAndUnknownDatasets() {
    assertThat(
            jobs.propose(
                    COORDINATOR, "job-1", spec("vat_m1", "plaintext-insecure"), BANK, addresses)
                .reason())
        .contains("plaintext-insecure");
    assertThatThrownBy(
            () -> jobs.propose(BANK, "job-2", spec("vat_m1", "paillier"), BANK, addresses))
        .isInstanceOf(NodeJobs.RefusedException.class)
        .hasMessageContaining("only the coordinator");
    assertThat(
            jobs.propose(
                    COORDINATOR,
                    "job-3",
                    spec("vat_m1", "paillier").replace("dataset: invoices", "dataset: payroll"),
                    BANK,
                    addresses)
                .reason())
        .contains("dataset 'payroll' is not defined");
  }

  @Test
  void takesMessagesOnlyForAcceptedJobsFromTheirPartiesAndNeverAfterTheEnd() {
    NodeJobs manual = node(ColumnPolicy.Approval.MANUAL);
    assertThat(
            manual
                .propose(COORDINATOR, "job-1", spec("vat_m1", "paillier"), BANK, addresses)
                .verdict())
        .isEqualTo(NodeJobs.Answer.Verdict.PENDING);
    assertThat(manual.check("job-1", BANK)).isInstanceOf(JobAuthorizer.Refuse.class); // pending
    manual.approve("job-1", true, "");
    assertThat(manual.check("job-1", BANK)).isEqualTo(JobAuthorizer.Decision.accept());
    assertThat(manual.check("job-1", PartyId.of("utility")))
        .isInstanceOf(JobAuthorizer.Refuse.class);
    assertThat(manual.check("job-9", BANK)).isInstanceOf(JobAuthorizer.Refuse.class);

    manual.abort(COORDINATOR, "job-1", "a peer failed");
    assertThat(manual.isFinished("job-1")).isTrue();
    // A restarted node still refuses the finished job's messages (a replay) and its steps.
    NodeJobs restarted = node(ColumnPolicy.Approval.MANUAL);
    assertThat(restarted.isFinished("job-1")).isTrue();
    assertThat(
            restarted
                .propose(COORDINATOR, "job-1", spec("vat_m1", "paillier"), BANK, addresses)
                .verdict())
        .isEqualTo(NodeJobs.Answer.Verdict.REJECTED);
    assertThatThrownBy(() -> restarted.runStep(COORDINATOR, "job-1", "psi"))
        .isInstanceOf(NodeJobs.RefusedException.class);
  }
}
