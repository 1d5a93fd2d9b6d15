package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedcredit.cli.BenchCommandTest.Run;
import org.junit.jupiter.api.Test;

class BenchPsiCommandTest {

  @Test
  void quickJsonRunReportsACheckedAlignment() throws Exception {
    Run run = BenchCommandTest.run("bench", "psi", "--quick", "--overlap", "0.25", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertThat(root.get("ids").asInt()).isEqualTo(2000);
    assertThat(root.get("intersection").asInt()).isEqualTo(500);
    assertThat(root.get("seconds").asDouble()).isPositive();
    assertThat(root.get("ids_per_s").asLong()).isPositive();
    // Each party sends at least 32 bytes per own id; the bank's ids come back double-blinded.
    assertThat(root.get("bytes_bank_to_provider").asLong()).isGreaterThanOrEqualTo(32L * 2000);
    assertThat(root.get("bytes_provider_to_bank").asLong()).isGreaterThanOrEqualTo(64L * 2000);
    assertThat(root.get("heap_peak_mb").asDouble()).isPositive();
    assertThat(root.get("target_1m_in_60s").asText()).startsWith("not measured");
    assertThat(run.err()).contains("checked: 500 aligned ids");
  }

  @Test
  void overlapOutsideTheUnitIntervalIsBadInput() {
    Run run = BenchCommandTest.run("bench", "psi", "--quick", "--overlap", "0");

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--overlap 0.0");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void tableNamesTheTarget() {
    Run run = BenchCommandTest.run("bench", "psi", "--ids", "300");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("ids/s").contains("1M x 1M <= 60 s").contains("150");
  }
}
