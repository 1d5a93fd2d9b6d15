package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedcredit run --simulate} end to end on small generated files with partial id overlap. */
class RunCommandTest {

  @TempDir static Path dir;

  static CliHarness.Run run(String... args) {
    return CliHarness.run(args);
  }

  @BeforeAll
  static void data() throws Exception {
    Random r = new Random(3);
    StringBuilder bank = new StringBuilder("id,y,a0,a1\n");
    StringBuilder prov = new StringBuilder("id,b0,b1,b2\n");
    StringBuilder hold = new StringBuilder("id\n");
    double[][] b = new double[500][3];
    for (int i = 0; i < 500; i++) {
      for (int j = 0; j < 3; j++) {
        b[i][j] = r.nextGaussian();
      }
    }
    for (int i = 0; i < 400; i++) {
      double a0 = r.nextGaussian();
      double a1 = r.nextGaussian();
      double z = 0.4 * a0 - 0.3 * a1 + 1.2 * b[i][0] - 0.8 * b[i][2];
      int y = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      bank.append(String.format(Locale.ROOT, "c%d,%d,%.6f,%.6f%n", i, y, a0, a1));
      if (i % 5 == 0) {
        hold.append("c").append(i).append('\n');
      }
    }
    for (int i = 100; i < 500; i++) {
      prov.append(String.format(Locale.ROOT, "c%d,%.6f,%.6f,%.6f%n", i, b[i][0], b[i][1], b[i][2]));
    }
    Files.writeString(dir.resolve("bank.csv"), bank);
    Files.writeString(dir.resolve("tax.csv"), prov);
    Files.writeString(dir.resolve("holdout.csv"), hold);
  }

  static Path spec(String name, String crypto, String extraProvider) throws Exception {
    String yaml =
        "job: test-"
            + name
            + "\n"
            + "crypto: "
            + crypto
            + "\n"
            + "label_party: bank\n"
            + "holdout_ids: holdout.csv\n"
            + "parties:\n"
            + "  bank: {data: bank.csv, id_column: id, label_column: y}\n"
            + "  tax-bureau:\n"
            + "    data: tax.csv\n"
            + "    id_column: id\n"
            + extraProvider
            + "train: {epochs: 3, batch_size: 100, learning_rate: 0.3, tolerance: 0, seed: 9}\n";
    Path p = dir.resolve(name + ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void paillierAndPlaintextRunsAgreeAndWriteEverything() throws Exception {
    Path trace = dir.resolve("trace");
    Path pred = dir.resolve("out/predictions.csv");
    CliHarness.Run enc =
        run(
            "run",
            spec("enc", "paillier", "").toString(),
            "--simulate",
            "--json",
            "--predictions",
            pred.toString(),
            "--trace-messages",
            trace.toString());
    assertThat(enc.exit()).as(enc.err()).isZero();
    JsonNode e = new ObjectMapper().readTree(enc.out());
    assertThat(e.get("aligned_rows").asInt()).isEqualTo(300); // ids c100..c399
    assertThat(e.get("holdout_rows").asInt()).isEqualTo(60);
    assertThat(e.get("crypto").get("scheme").asText()).isEqualTo("paillier-djn");
    assertThat(e.get("crypto").get("keyBits").asInt()).isEqualTo(2048);
    double aucEnc = e.get("metrics").get("auc").asDouble();
    assertThat(aucEnc).isGreaterThan(e.get("bank_only_metrics").get("auc").asDouble());
    assertThat(e.get("bytes_by_pair").get("tax-bureau->bank").asLong()).isPositive();

    List<String> lines = Files.readAllLines(pred);
    assertThat(lines.get(0)).isEqualTo("id,probability");
    assertThat(lines).hasSize(61);
    assertThat(lines.get(1)).matches("c\\d+,0\\.\\d+.*");
    try (Stream<Path> files = Files.list(trace)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).anyMatch(n -> n.contains("_coordinator_to_bank_lr_key.bin"));
      assertThat(names).anyMatch(n -> n.contains("_tax-bureau_to_bank_lr_0_0_partial-scores.bin"));
      assertThat(names).anyMatch(n -> n.contains("_tax-bureau_to_coordinator_lr_2_"));
    }

    CliHarness.Run clear =
        run("run", spec("clear", "plaintext-insecure", "").toString(), "--simulate", "--json");
    assertThat(clear.exit()).as(clear.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(clear.out());
    assertThat(c.get("crypto").get("scheme").asText()).isEqualTo("plaintext-insecure");
    assertThat(c.get("metrics").get("auc").asDouble())
        .isCloseTo(aucEnc, org.assertj.core.data.Offset.offset(0.002));
  }

  @Test
  void aColumnThePolicyForbidsIsRefusedByName() throws Exception {
    Path p =
        spec(
            "policy",
            "plaintext-insecure",
            "    columns: [b0, b2]\n    policy: {allowed_columns: [b0, b1]}\n");
    CliHarness.Run r = run("run", p.toString(), "--simulate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("tax-bureau refuses the job").contains("column 'b2'");
  }

  @Test
  void rowsWithoutConsentNeverEnterTheJob() throws Exception {
    // The provider's file gains a consent column: ids c100..c149 did not consent.
    List<String> lines = Files.readAllLines(dir.resolve("tax.csv"));
    StringBuilder sb = new StringBuilder(lines.get(0) + ",consent\n");
    for (int i = 1; i < lines.size(); i++) {
      int id = Integer.parseInt(lines.get(i).substring(1, lines.get(i).indexOf(',')));
      sb.append(lines.get(i)).append(id < 150 ? ",0" : ",1").append('\n');
    }
    Files.writeString(dir.resolve("tax-consent.csv"), sb);
    Path spec = dir.resolve("consent.yaml");
    Files.writeString(
        spec,
        Files.readString(spec("c", "plaintext-insecure", "    consent_column: consent\n"))
            .replace("tax.csv", "tax-consent.csv"));
    CliHarness.Run r = run("run", spec.toString(), "--simulate", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("aligned_rows").asInt()).isEqualTo(250); // c150..c399
    assertThat(j.get("rows_without_consent").get("tax-bureau").asInt()).isEqualTo(50);
    assertThat(r.err()).contains("50 rows without consent never entered PSI");
  }

  @Test
  void categoricalColumnsAreExpandedAndCoveredByThePolicy() throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("tax.csv"));
    StringBuilder sb = new StringBuilder(lines.get(0) + ",grade\n");
    String[] grades = {"A", "B", "None"};
    for (int i = 1; i < lines.size(); i++) {
      sb.append(lines.get(i)).append(',').append(grades[i % 3]).append('\n');
    }
    Files.writeString(dir.resolve("tax-grade.csv"), sb);
    Path spec = dir.resolve("grade.yaml");
    Files.writeString(
        spec,
        Files.readString(
                spec(
                    "g",
                    "plaintext-insecure",
                    "    categorical: [grade]\n"
                        + "    policy: {allowed_columns: [b0, b1, b2, grade]}\n"))
            .replace("tax.csv", "tax-grade.csv"));
    CliHarness.Run r = run("run", spec.toString(), "--simulate");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("tax-bureau: 6 model columns");
  }

  @Test
  void badSpecsAndFilesGetPreciseErrors() throws Exception {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(
        typo, Files.readString(spec("t", "paillier", "")).replace("batch_size", "batchsize"));
    CliHarness.Run r1 = run("run", typo.toString(), "--simulate");
    assertThat(r1.exit()).isEqualTo(2);
    assertThat(r1.err()).contains("unknown key(s) [train.batchsize]");

    Path badCsv = dir.resolve("bad.csv");
    Files.writeString(badCsv, "id,b0,b1,b2\nc1,1,2\n");
    Path spec = dir.resolve("badcsv.yaml");
    Files.writeString(
        spec, Files.readString(spec("b", "paillier", "")).replace("tax.csv", "bad.csv"));
    CliHarness.Run r2 = run("run", spec.toString(), "--simulate");
    assertThat(r2.exit()).isEqualTo(2);
    assertThat(r2.err()).contains("bad.csv:2: 3 fields but the header has 4");

    CliHarness.Run r3 = run("run", spec("n", "paillier", "").toString());
    assertThat(r3.exit()).isEqualTo(2);
    assertThat(r3.err()).contains("add --simulate");

    Path disjoint = dir.resolve("disjoint.csv");
    Files.writeString(disjoint, "id,b0,b1,b2\nz1,1,2,3\nz2,2,3,4\n");
    Path spec2 = dir.resolve("disjoint.yaml");
    Files.writeString(
        spec2, Files.readString(spec("d", "paillier", "")).replace("tax.csv", "disjoint.csv"));
    CliHarness.Run r5 =
        run(
            "run",
            spec2.toString(),
            "--simulate",
            "--predictions",
            dir.resolve("never.csv").toString());
    assertThat(r5.exit()).isNotZero();
    assertThat(r5.err()).contains("the PSI intersection is empty").doesNotContain("\tat ");
    assertThat(dir.resolve("never.csv")).doesNotExist();

    Path yamlError = dir.resolve("broken.yaml");
    Files.writeString(yamlError, "job: x\nparties: [\n");
    CliHarness.Run r4 = run("run", yamlError.toString(), "--simulate");
    assertThat(r4.exit()).isEqualTo(2);
    assertThat(r4.err()).contains("broken.yaml:").contains("not valid YAML");
    assertThat(r1.err() + r2.err() + r3.err() + r4.err()).doesNotContain("Exception");
  }
}
