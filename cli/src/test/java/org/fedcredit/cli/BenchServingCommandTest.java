package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedcredit bench serving} on a tiny load: it runs end to end and reports what it says. */
class BenchServingCommandTest {

  @TempDir Path dir;

  @Test
  void aSmallRunDecidesEveryRequestOverFourProcessesAndStopsThem() throws Exception {
    CliHarness.Run r =
        CliHarness.run(
            "bench",
            "serving",
            "--enterprises",
            "400",
            "--warmup",
            "20",
            "--warmup-max-seconds",
            "1",
            "--requests",
            "60",
            "--concurrency",
            "2",
            "--workdir",
            dir.toString(),
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("requests").asInt()).isEqualTo(60);
    int decided = 0;
    for (JsonNode n : j.get("outcomes")) {
      decided += n.asInt();
    }
    assertThat(decided).isEqualTo(60);
    assertThat(j.get("outcomes").has("CANNOT_DECIDE")).isFalse();
    assertThat(j.get("latency_ms_p50").asDouble()).isPositive();
    assertThat(j.get("latency_ms_p99").asDouble())
        .isGreaterThanOrEqualTo(j.get("latency_ms_p50").asDouble());
    assertThat(j.get("decisions_per_second").asDouble()).isPositive();
    assertThat(r.err()).contains("[3/4] coordinator, bank, tax-bureau and utility");
    // the default load is open loop; the target is judged from what was measured
    assertThat(j.get("mode").asText()).isEqualTo("open-loop");
    assertThat(j.get("offered_rate").asDouble()).isEqualTo(505.0);
    assertThat(j.get("latency_ms_p99").asDouble())
        .isGreaterThanOrEqualTo(j.get("service_ms_p99").asDouble() - 1e-9);
    JsonNode target = j.get("target");
    assertThat(target.get("met").asBoolean())
        .isEqualTo(
            j.get("latency_ms_p99").asDouble() <= 10.0
                && j.get("decisions_per_second").asDouble() >= 500.0);
    assertThat(j.get("cpu_ms_per_decision").get("bank").asDouble()).isPositive();
    // the coordinator ran at the lower CPU priority asked for by default, the nodes did not
    assertThat(j.get("coordinator_nice").asInt()).isEqualTo(10);
    assertThat(j.get("process_nice").get("coordinator").asInt()).isEqualTo(10);
    assertThat(j.get("process_nice").get("bank").asInt()).isEqualTo(0);
    // a warm-up round (1,000 decisions) starts within the one second allowed after the first 20
    JsonNode warm = j.get("warmup");
    int rounds = warm.get("rounds_after_the_first").asInt();
    assertThat(rounds).isPositive();
    assertThat(warm.get("decisions").asInt()).isEqualTo(20 + 1000 * rounds);
    assertThat(warm.get("jit_cpu_share_last_round").asDouble()).isBetween(0.0, 1.0);
    assertThat(r.err()).contains("warm-up: 1,020 decisions, the JIT compilers took");
    assertThat(j.get("jit_cpu_ms_per_decision").get("bank").asDouble())
        .isGreaterThanOrEqualTo(0.0)
        .isLessThanOrEqualTo(j.get("cpu_ms_per_decision").get("bank").asDouble());
  }

  @Test
  void helpExplainsBothLoadModels() {
    CliHarness.Run r = CliHarness.run("bench", "serving", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("open loop (--rate R > 0", "closed loop (--rate 0)", "--rate");
    assertThat(r.err()).as("picocli formats every line").doesNotContain("Could not format");
  }

  @Test
  void badOptionsAreNamed() {
    CliHarness.Run r = CliHarness.run("bench", "serving", "--algorithm", "forest");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--algorithm forest: use vertical-lr or secureboost");
    CliHarness.Run rate = CliHarness.run("bench", "serving", "--rate", "-5");
    assertThat(rate.exit()).isEqualTo(2);
    assertThat(rate.err()).contains("--rate -5.0: give decisions per second");
    CliHarness.Run nice = CliHarness.run("bench", "serving", "--coordinator-nice", "20");
    assertThat(nice.exit()).isEqualTo(2);
    assertThat(nice.err()).contains("--coordinator-nice 0-19");
  }
}
