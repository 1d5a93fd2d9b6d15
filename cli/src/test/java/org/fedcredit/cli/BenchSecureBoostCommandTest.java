package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.assertj.core.data.Offset;
import org.fedcredit.cli.BenchCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchSecureBoostCommandTest {

  private static final List<String> TIMED =
      List.of("keygen", "encrypt", "rerandomize", "decrypt", "wire", "histogram", "pack");

  private static final String[] SMALL = {
    "bench",
    "secureboost",
    "--rows",
    "300",
    "--label-features",
    "3",
    "--feature-party-features",
    "4",
    "--trees",
    "1",
    "--depth",
    "2",
    "--bins",
    "8"
  };

  /** The small run's arguments, with {@code more}'s options replacing or added to them. */
  private static String[] small(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(SMALL));
    for (int i = 0; i < more.length; i++) {
      int at = args.indexOf(more[i]);
      boolean valued = i + 1 < more.length && !more[i + 1].startsWith("--");
      if (at >= 0 && valued) {
        args.set(at + 1, more[++i]);
      } else {
        args.add(more[i]);
        if (valued) {
          args.add(more[++i]);
        }
      }
    }
    return args.toArray(String[]::new);
  }

  @Test
  @Timeout(30)
  void paillierJsonRunReportsTimeSplitBytesAndHeap() throws Exception {
    Run run = BenchCommandTest.run(small("--json"));

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertThat(root.get("rows").asInt()).isEqualTo(300);
    assertThat(root.get("columns_per_party").get("bank").asInt()).isEqualTo(3);
    assertThat(root.get("columns_per_party").get("provider").asInt()).isEqualTo(4);
    assertThat(root.get("trees").asInt()).isEqualTo(1);
    assertThat(root.get("depth").asInt()).isEqualTo(2);
    assertThat(root.get("bins").asInt()).isEqualTo(8);
    assertThat(root.get("crypto").asText()).isEqualTo("paillier");
    assertThat(root.get("key_bits").asInt()).isEqualTo(2048);
    assertThat(root.get("psi_included").asBoolean()).isFalse();
    assertThat(root.get("holdout").asBoolean()).isFalse();
    assertThat(root.get("fate_shape").asBoolean()).isFalse();
    double total = root.get("seconds").asDouble();
    assertThat(total).isPositive();
    assertThat(root.get("tree_seconds")).hasSize(1);
    assertThat(root.get("seconds_per_tree").asDouble()).isPositive().isLessThanOrEqualTo(total);

    // A depth-2 tree asks about the root and, if it splits, its two children.
    long asked = root.get("nodes_asked").asLong();
    int splits = root.get("bank_splits").asInt() + root.get("provider_splits").asInt();
    assertThat(asked).isBetween(1L, 3L);
    assertThat(root.get("leaves").asInt()).isEqualTo(splits + 1);
    assertThat(root.get("histograms_from_rows").asInt()).isGreaterThanOrEqualTo(1);
    // The planted signal is learnable: even one shallow tree beats chance on training rows.
    assertThat(root.get("train_auc").asDouble()).isGreaterThan(0.6).isLessThanOrEqualTo(1);

    JsonNode split = root.get("time_split");
    double sum = 0;
    for (String op : TIMED) {
      assertThat(split.has(op)).as(op).isTrue();
      sum += split.get(op).get("seconds").asDouble();
    }
    assertThat(split.get("keygen").get("calls").asLong()).isEqualTo(1);
    // One packed (g, h, 1) ciphertext per row for the one provider.
    assertThat(split.get("encrypt").get("elements").asLong()).isGreaterThanOrEqualTo(300);
    assertThat(split.get("decrypt").get("elements").asLong()).isGreaterThanOrEqualTo(asked);
    assertThat(split.get("rerandomize").get("elements").asLong()).isGreaterThanOrEqualTo(asked);
    assertThat(split.get("encrypt").get("seconds").asDouble()).isPositive();
    assertThat(split.get("decrypt").get("seconds").asDouble()).isPositive();
    // The provider's root histogram alone adds 300 rows × 4 features.
    assertThat(split.get("histogram").get("elements").asLong()).isGreaterThanOrEqualTo(300L * 4);
    assertThat(split.get("histogram").get("seconds").asDouble()).isPositive();
    assertThat(split.get("pack").get("elements").asLong()).isPositive();
    double other = split.get("other").get("seconds").asDouble();
    assertThat(other).isGreaterThanOrEqualTo(0);
    assertThat(sum).isLessThanOrEqualTo(total + 0.003); // rounding to ms
    assertThat(sum + other).isCloseTo(total, Offset.offset(0.01));

    // The gradients alone are 300 ciphertexts of 4096 bits.
    assertThat(root.get("bytes_by_pair").get("bank->provider").asLong()).isGreaterThan(300L * 512);
    assertThat(root.get("bytes_by_pair").get("provider->bank").asLong()).isPositive();
    assertThat(root.get("bytes_total").asLong())
        .isEqualTo(
            root.get("bytes_by_pair").get("bank->provider").asLong()
                + root.get("bytes_by_pair").get("provider->bank").asLong());
    assertThat(root.get("heap_peak_mb").asDouble())
        .isPositive()
        .isLessThanOrEqualTo(root.get("heap_max_mb").asDouble());
    assertThat(root.get("cores").asInt()).isPositive();
    assertThat(root.get("fate_reference_seconds_per_tree").asDouble()).isEqualTo(114);
    assertThat(run.err()).contains("tree 1/1 done").contains("node 0 (depth 0)");
  }

  @Test
  @Timeout(30)
  void plaintextTableNamesTheSplitAndTheReference() {
    Run run = BenchCommandTest.run(small("--plaintext-insecure"));

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out())
        .contains("PLAINTEXT, insecure")
        .contains("PSI not included")
        .contains("other")
        .contains("heap peak")
        .contains("FATE 2.0 reference")
        .contains("(not this shape)");
  }

  @ParameterizedTest
  @CsvSource({
    "--rows, 0, --rows 0: use at least 2",
    "--label-features, 0, --label-features 0: use at least 1",
    "--feature-party-features, -1, --feature-party-features -1: use at least 1",
    "--trees, 0, --trees 0: use at least 1",
    "--depth, 0, --depth 0: use 1..16",
    "--bins, 1, --bins 1: use 2..1024",
    "--key-bits, 1024, --key-bits 1024: use an even size of at least 2048"
  })
  void badOptionIsBadInputWithAClearMessage(String option, String value, String message) {
    Run run = BenchCommandTest.run(small("--json", option, value));

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("bench secureboost: " + message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void helpDocumentsTheDefaults() {
    Run run = BenchCommandTest.run("bench", "secureboost", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().replaceAll("\\s+", " ")) // help text wraps at any space
        .contains("default: 100000")
        .contains("default: 30")
        .contains("default: 300")
        .contains("default: 1")
        .contains("default: 3")
        .contains("default: 32")
        .contains("default: 2048")
        .contains("--plaintext-insecure");
  }
}
