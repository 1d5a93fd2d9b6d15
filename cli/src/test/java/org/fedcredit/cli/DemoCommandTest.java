package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: four processes over mTLS, a real job, everything stopped. */
class DemoCommandTest {

  @Test
  void theDemoTrainsOverFourProcessesBeatsTheBankAloneAndStopsEverything(@TempDir Path dir)
      throws Exception {
    Path work = dir.resolve("demo");
    CliHarness.Run r = CliHarness.run("demo", "--json", "--workdir", work.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("state").asText()).isEqualTo("succeeded");
    assertThat(j.get("federated_auc").asDouble())
        .isGreaterThanOrEqualTo(j.get("bank_alone_auc").asDouble() + 0.03);
    assertThat(j.get("rows_aligned").asInt()).isGreaterThan(300);
    assertThat(j.get("bytes_by_pair").get("bank->tax-bureau").asLong()).isPositive();
    assertThat(j.get("model_shards_sha256").size()).isEqualTo(3);
    // Progress on stderr: the six stages, the PSI/train steps and the epochs.
    assertThat(r.err()).contains("[1/6]", "[3/6]", "psi", "epoch 1", "[5/6]", "[6/6]");
    // The published model served two decisions over the same nodes: one refused with its
    // reasons (in both languages), one approved without.
    JsonNode decisions = j.get("decisions");
    assertThat(decisions).hasSize(2);
    java.util.Map<String, JsonNode> byOutcome = new java.util.HashMap<>();
    decisions.forEach(d -> byOutcome.put(d.get("outcome").asText(), d));
    assertThat(byOutcome.keySet()).containsExactlyInAnyOrder("APPROVED", "REFUSED");
    assertThat(byOutcome.get("REFUSED").get("reason_codes").size()).isBetween(1, 4);
    assertThat(byOutcome.get("APPROVED").get("reason_codes")).isEmpty();
    assertThat(byOutcome.get("REFUSED").get("probability_of_default").asDouble())
        .isGreaterThan(0.25);
    assertThat(r.err()).contains("reason S").contains("the borrower's page");
    // The first page's link to its model's release proof was followed and verified.
    assertThat(decisions.get(0).get("model_release_entry").asLong()).isPositive();
    assertThat(r.err()).contains("of the audit log, in the signed checkpoint of size");
    // Nothing left running, and the work directory holds what a person would look at.
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(work.resolve("logs/coordinator.log")).exists();
    assertThat(work.resolve("certs/ca.crt")).exists();
    assertThat(Files.list(work.resolve("work/tax-bureau/models")).count()).isEqualTo(1);
    // The coordinator's transparency log, exported when it stopped, verifies with its key and
    // holds the job's rounds (key distribution + one per epoch) under the 2048-bit key it used.
    JsonNode audit = j.get("audit");
    assertThat(audit.get("verified").asBoolean()).as(audit.toString()).isTrue();
    assertThat(audit.get("crypto_rounds").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(audit.get("key_bits").asInt()).isEqualTo(2048);
    // The bank's node reported every decision it served before it stopped (hashes only).
    assertThat(audit.get("decisions_logged").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(r.err()).contains("fedcredit audit verify --dir");
    assertThat(work.resolve(DemoCommand.MARKER)).exists();
    // What the README says to run next: the log verifies offline and lists the job's rounds with
    // the effective key size, and the decisions served with its model.
    CliHarness.Run verify = CliHarness.run("audit", "verify", "--dir", work.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out())
        .contains("\nverified\n")
        .contains("job " + j.get("job_id").asText() + " (vertical-lr, succeeded)")
        .contains("2048-bit key")
        .contains("decisions served with its model: " + audit.get("decisions_logged").asInt());
  }

  @Test
  void anEarlierDemosDirectoryIsReplacedAndAnyOtherDirectoryIsLeftAlone(@TempDir Path dir)
      throws Exception {
    Path demo = dir.resolve("demo");
    DemoCommand.prepare(demo);
    Files.writeString(demo.resolve("old.log"), "x");
    DemoCommand.prepare(demo);
    assertThat(demo.resolve("old.log")).doesNotExist();
    assertThat(demo.resolve(DemoCommand.MARKER)).exists();

    Path mine = dir.resolve("mine");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve("thesis.tex"), "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoCommand.prepare(mine))
        .hasMessageContaining("not an earlier demo's directory");
    assertThat(mine.resolve("thesis.tex")).exists();
  }

  @Test
  void aNonEmptyWorkdirIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("something"), "x");
    CliHarness.Run r = CliHarness.run("demo", "--workdir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("not empty").doesNotContain("Exception");
  }
}
