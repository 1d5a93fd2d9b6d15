package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  static final List<String> OPS =
      List.of(
          "encrypt",
          "encrypt_owner",
          "decrypt",
          "add",
          "mul16",
          "multiexp16_per_term_us",
          "multiexp53_per_term_us");

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FedCredit.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void quickJsonRunReportsEveryOpOfBothImplementations() throws Exception {
    Run run = run("bench", "paillier", "--quick", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    List<String> fields = new ArrayList<>();
    root.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("key_bits", "kernel", "java", "cores", "results", "speedup");
    assertThat(root.get("key_bits").asInt()).isEqualTo(2048);
    assertThat(root.get("kernel").asText()).isNotBlank();
    assertThat(root.get("java").asText()).startsWith("17");
    assertThat(root.get("cores").asInt()).isPositive();

    for (String op : OPS) {
      String unit = op.endsWith("_per_term_us") ? "us_per_term" : "ops_per_s";
      for (String impl : List.of("fedcredit", "javallier")) {
        List<JsonNode> matches = new ArrayList<>();
        root.get("results")
            .forEach(
                r -> {
                  if (r.get("op").asText().equals(op)
                      && r.get("impl").asText().equals(impl)
                      && r.get("threads").asInt() == 1) {
                    matches.add(r);
                  }
                });
        assertThat(matches).as("%s %s threads 1", op, impl).hasSize(1);
        JsonNode value = matches.get(0).get(unit);
        assertThat(value).as("%s %s %s", op, impl, unit).isNotNull();
        assertThat(value.isNumber()).isTrue();
        assertThat(value.asDouble()).as("%s %s", op, impl).isPositive();
      }
      List<JsonNode> speedups = new ArrayList<>();
      root.get("speedup")
          .forEach(
              s -> {
                if (s.get("op").asText().equals(op) && s.get("threads").asInt() == 1) {
                  speedups.add(s);
                }
              });
      assertThat(speedups).as("speedup of %s", op).hasSize(1);
      assertThat(speedups.get(0).get("fedcredit_over_javallier").asDouble()).isPositive();
    }
  }

  @Test
  void keyBelowTheFloorIsBadInputNamingTheFloor() {
    Run run = run("bench", "paillier", "--key-bits", "1024");

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("1024").contains("floor of 2048 bits");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void malformedBatchIsBadInput() {
    Run run = run("bench", "paillier", "--batch", "encrypt=many");

    assertThat(run.exitCode()).isEqualTo(FedCredit.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--batch encrypt=many");
  }

  @Test
  void helpExplainsMethodAndOutput() {
    Run run = run("bench", "paillier", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("javallier")
        .contains("median")
        .contains("multiexp16_per_term_us")
        .contains("NOT MET")
        .contains("--threads");
  }
}
