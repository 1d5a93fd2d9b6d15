package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PooledStatisticsDemoCommandTest {

  /** Surefire runs in cli/, the examples are one level up. */
  static final Path DATA = Path.of("..", "examples", "default-credit");

  static CliHarness.Run run(String... args) {
    return CliHarness.run(args);
  }

  @Test
  void demoPoolsThreeBanksAndMatchesTheClearComputation() throws Exception {
    CliHarness.Run r = run("demo", "pooled-statistics", "--json", "--data", DATA.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("verified").asBoolean()).isTrue();
    assertThat(j.get("rows").asLong()).isEqualTo(24_000);
    // 1780 + 1781 + 1766 defaults in the three FATE files (examples/README.md).
    assertThat(j.get("default_rate").asDouble())
        .isCloseTo(5327.0 / 24_000, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(j.get("unrandomised_ciphertexts").asInt()).isZero();
    assertThat(j.get("max_abs_error_vs_clear").asDouble()).isLessThan(1e-6);
    assertThat(j.get("effective_crypto").asText()).contains("n=2048 bits");
    assertThat(j.get("features").get(0).get("uci_name").asText()).isEqualTo("PAY_0");
    assertThat(j.get("bytes").get("bank-a->coordinator").asLong()).isGreaterThan(512);
  }

  @Test
  void readableReportNamesTheStrongestSignal() {
    CliHarness.Run r = run("demo", "pooled-statistics", "--data", DATA.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Pooled over 24,000 loans").contains("PAY_0").contains("Checks:");
    assertThat(r.err()).contains("[1/6").contains("[done");
  }

  @Test
  void missingDataFolderIsABadInputWithAFix(@TempDir Path empty) {
    CliHarness.Run r = run("demo", "pooled-statistics", "--data", empty.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read").contains("--data DIR").doesNotContain("Exception");
  }

  @Test
  void malformedBankFileIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
    for (String f :
        new String[] {
          "default_credit_homo_guest.csv",
          "default_credit_homo_host_1.csv",
          "default_credit_homo_host_2.csv"
        }) {
      Files.copy(DATA.resolve(f), dir.resolve(f));
    }
    Path broken = dir.resolve("default_credit_homo_host_1.csv");
    var lines = Files.readAllLines(broken);
    lines.set(3, lines.get(3).replaceFirst(",1,|,0,", ",2,"));
    Files.write(broken, lines);
    CliHarness.Run r = run("demo", "pooled-statistics", "--data", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("default_credit_homo_host_1.csv:4").contains("is not 0 or 1");
  }

  @Test
  void badKeySizeIsRefused() {
    CliHarness.Run r =
        run("demo", "pooled-statistics", "--key-bits", "1024", "--data", DATA.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--key-bits must be 2048, 3072 or 4096");
  }
}
