package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.fedcredit.cli.BenchCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BenchVerticalLrCommandTest {

  private static final List<String> TIMED =
      List.of("keygen", "encrypt", "rerandomize", "multiply_matrix", "decrypt", "wire");

  @Test
  @Timeout(20)
  void quickPaillierJsonRunReportsTheTimeSplit() throws Exception {
    long t0 = System.nanoTime();
    Run run =
        BenchCommandTest.run("bench", "vertical-lr", "--quick", "--json", "--crypto", "paillier");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertThat(root.get("rows").asInt()).isEqualTo(300);
    assertThat(root.get("columns_per_party").get("bank").asInt()).isEqualTo(3);
    assertThat(root.get("columns_per_party").get("provider").asInt()).isEqualTo(5);
    assertThat(root.get("epochs").asInt()).isEqualTo(1);
    assertThat(root.get("batch_size").asInt()).isEqualTo(300);
    assertThat(root.get("batches_per_epoch").asInt()).isEqualTo(1);
    assertThat(root.get("crypto").asText()).isEqualTo("paillier");
    assertThat(root.get("key_bits").asInt()).isEqualTo(2048);
    assertThat(root.get("psi_included").asBoolean()).isFalse();
    double total = root.get("seconds").asDouble();
    assertThat(total).isPositive();
    assertThat(root.get("seconds_per_epoch").asDouble()).isPositive().isLessThanOrEqualTo(total);
    assertThat(root.get("epoch_seconds")).hasSize(1);
    assertThat(root.get("epoch_losses")).hasSize(1);

    JsonNode split = root.get("time_split");
    double sum = 0;
    for (String op : TIMED) {
      assertThat(split.has(op)).as(op).isTrue();
      sum += split.get(op).get("seconds").asDouble();
    }
    // Everything the protocol must do under Paillier happened and was timed.
    assertThat(split.get("keygen").get("calls").asLong()).isEqualTo(1);
    assertThat(split.get("encrypt").get("elements").asLong()).isGreaterThanOrEqualTo(2 * 300);
    assertThat(split.get("multiply_matrix").get("terms").asLong())
        .isGreaterThanOrEqualTo(300L * (3 + 5));
    assertThat(split.get("decrypt").get("elements").asLong()).isGreaterThanOrEqualTo(3 + 5);
    assertThat(split.get("encrypt").get("seconds").asDouble()).isPositive();
    assertThat(split.get("multiply_matrix").get("seconds").asDouble()).isPositive();
    assertThat(split.get("decrypt").get("seconds").asDouble()).isPositive();
    double other = split.get("other").get("seconds").asDouble();
    assertThat(other).isGreaterThanOrEqualTo(0);
    assertThat(sum).isLessThanOrEqualTo(total + 0.002); // rounding to ms
    assertThat(sum + other).isCloseTo(total, org.assertj.core.data.Offset.offset(0.01));

    assertThat(root.get("bytes_by_pair").get("bank->provider").asLong()).isPositive();
    assertThat(root.get("bytes_by_pair").get("provider->bank").asLong()).isPositive();
    assertThat(root.get("bytes_by_pair").get("provider->coordinator").asLong()).isPositive();
    assertThat(root.get("bytes_total").asLong()).isPositive();
    assertThat(run.err()).contains("epoch 1/1");
  }

  @Test
  void zeroRowsIsBadInput() {
    Run run = BenchCommandTest.run("bench", "vertical-lr", "--rows", "0", "--json");

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--rows 0");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void featureScaleIsAnOptionAndReported() throws Exception {
    Run run =
        BenchCommandTest.run(
            "bench",
            "vertical-lr",
            "--quick",
            "--json",
            "--crypto",
            "plaintext-insecure",
            "--feature-scale-bits",
            "8");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.out())
                .get("feature_scale_bits")
                .asInt())
        .isEqualTo(8);
    Run bad = BenchCommandTest.run("bench", "vertical-lr", "--quick", "--feature-scale-bits", "2");
    assertThat(bad.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(bad.err()).contains("--feature-scale-bits 2: use 4..30");
  }

  @Test
  void unknownCryptoModeIsBadInput() {
    Run run = BenchCommandTest.run("bench", "vertical-lr", "--quick", "--crypto", "rot13");

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--crypto rot13");
  }

  @Test
  void plaintextTableNamesTheSplitAndTheReference() {
    Run run =
        BenchCommandTest.run("bench", "vertical-lr", "--quick", "--crypto", "plaintext-insecure");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out())
        .contains("PSI not included")
        .contains("multiply_matrix")
        .contains("other")
        .contains("FATE 2.0 reference");
  }
}
