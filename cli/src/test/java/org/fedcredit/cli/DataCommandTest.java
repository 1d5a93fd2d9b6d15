package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedcredit data synth}: files the CSV reader and the job runner accept; no overwrites. */
class DataCommandTest {

  /** Surefire runs in cli/, the examples are one level up. */
  static final Path SPEC = Path.of("..", "examples", "sme", "vertical-lr.yaml");

  @TempDir Path dir;

  @Test
  void writesFilesTheCsvReaderAcceptsAndRefusesToOverwriteWithoutForce() throws Exception {
    Path out = dir.resolve("sme");
    CliHarness.Run first =
        CliHarness.run(
            "data", "synth", "--out", out.toString(), "--enterprises", "800", "--seed", "3");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("800 enterprises (seed 3)").contains("bank.csv");

    LocalTable bank =
        CsvDataSource.read(
            out.resolve("bank.csv"),
            CsvDataSource.Spec.labelled("id", "default")
                .withCategorical(Set.of("industry", "region")));
    assertThat(bank.rows()).isBetween(500, 620);
    assertThat(bank.featureNames())
        .contains("loan_amount", "credit_utilization", "industry=catering", "region=shenzhen");
    int[] y = bank.labels().orElseThrow();
    assertThat(IntStream.of(y).sum()).isBetween(30, 100);
    LocalTable tax =
        CsvDataSource.read(
            out.resolve("tax_bureau.csv"),
            CsvDataSource.Spec.features("id").withCategorical(Set.of("tax_grade")));
    assertThat(tax.featureNames()).contains("vat_m1", "vat_m12", "tax_grade=A", "tax_grade=M");
    assertThat(hasMissing(tax, "vat_m7")).isTrue();
    LocalTable utility =
        CsvDataSource.read(out.resolve("utility.csv"), CsvDataSource.Spec.features("id"));
    assertThat(utility.featureNames()).contains("kwh_m1", "kwh_m12", "late_payments_12m");
    for (String consent : new String[] {"tax_bureau_consent.csv", "utility_consent.csv"}) {
      LocalTable c =
          CsvDataSource.read(
              out.resolve(consent),
              new CsvDataSource.Spec(
                  "enterprise_id", Optional.empty(), Set.of(), Set.of("scope", "expires")));
      assertThat(c.featureNames()).contains("scope=credit-scoring");
      assertThat(c.rows()).isPositive();
    }
    byte[] before = Files.readAllBytes(out.resolve("bank.csv"));

    CliHarness.Run again = CliHarness.run("data", "synth", "--out", out.toString(), "--seed", "4");
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err())
        .contains("bank.csv already exists")
        .contains("--force")
        .doesNotContain("Exception");
    assertThat(Files.readAllBytes(out.resolve("bank.csv"))).isEqualTo(before);

    CliHarness.Run forced =
        CliHarness.run(
            "data",
            "synth",
            "--out",
            out.toString(),
            "--enterprises",
            "800",
            "--seed",
            "4",
            "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readAllBytes(out.resolve("bank.csv"))).isNotEqualTo(before);
  }

  static boolean hasMissing(LocalTable t, String column) {
    double[] c = t.column(t.featureNames().indexOf(column));
    return IntStream.range(0, c.length).anyMatch(i -> Double.isNaN(c[i]));
  }

  @Test
  void badOptionsAreUserErrors() throws Exception {
    CliHarness.Run few =
        CliHarness.run("data", "synth", "--out", dir.toString(), "--enterprises", "10");
    assertThat(few.exit()).isEqualTo(2);
    assertThat(few.err()).contains("--enterprises").contains("between 50 and");

    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliHarness.Run notDir = CliHarness.run("data", "synth", "--out", file.toString());
    assertThat(notDir.exit()).isEqualTo(2);
    assertThat(notDir.err()).contains("is a file");

    CliHarness.Run noOut = CliHarness.run("data", "synth");
    assertThat(noOut.exit()).isEqualTo(2);
    assertThat(noOut.err()).contains("--out");
  }

  @Test
  void helpTeachesTheFilesAndDefaults() {
    CliHarness.Run help = CliHarness.run("data", "synth", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("tax_bureau_consent.csv")
        .contains("default: 6000")
        .contains("default: 42")
        .contains("docs/synthetic-data.md")
        .doesNotContain("%n");
    assertThat(CliHarness.run("--help").out()).contains("data");
  }

  /** The example job spec runs on freshly generated data: every party's columns are accepted. */
  @Test
  void theExampleJobSpecRunsOnGeneratedData() throws Exception {
    CliHarness.Run gen =
        CliHarness.run("data", "synth", "--out", dir.toString(), "--enterprises", "500");
    assertThat(gen.exit()).as(gen.err()).isZero();
    Path spec = dir.resolve("vertical-lr.yaml");
    Files.writeString(spec, Files.readString(SPEC).replace("epochs: 30", "epochs: 5"));
    CliHarness.Run run = CliHarness.run("run", spec.toString(), "--simulate", "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertThat(r.get("aligned_rows").asInt()).isBetween(200, 300); // ~72 % of ~350 customers
    assertThat(r.get("crypto").get("scheme").asText()).isEqualTo("plaintext-insecure");
    assertThat(run.err())
        .contains("bank: 18 model columns")
        .contains("tax-bureau: 21 model columns")
        .contains("utility: 14 model columns");
    assertThat(r.get("holdout_rows").asInt()).isBetween(40, 80);
    assertThat(r.get("metrics").get("auc").asDouble()).isBetween(0.0, 1.0);
    assertThat(r.get("bank_only_metrics").get("auc").asDouble()).isBetween(0.0, 1.0);
  }
}
