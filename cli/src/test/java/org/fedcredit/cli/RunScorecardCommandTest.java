package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.fedcredit.modelzoo.scorecard.Characteristic;
import org.fedcredit.modelzoo.scorecard.Scorecard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedcredit run} with {@code algorithm: scorecard} on small generated files: federated WOE
 * binning with Paillier 2048, IV selection, vertical LR on the WOE columns, the committee export,
 * and the scores it gives.
 */
class RunScorecardCommandTest {

  @TempDir static Path dir;

  /** Raw values by id: bank columns a0, a1; provider columns b0, b1 (pure noise), b2. */
  static final Map<String, Map<String, Double>> RAW = new HashMap<>();

  static JsonNode paillier;
  static List<String> paillierPredictions;

  @BeforeAll
  static void data() throws Exception {
    Random r = new Random(11);
    StringBuilder bank = new StringBuilder("id,y,a0,a1\n");
    StringBuilder prov = new StringBuilder("id,b0,b1,b2\n");
    StringBuilder hold = new StringBuilder("id\n");
    double[][] b = new double[700][3];
    for (int i = 0; i < 700; i++) {
      for (int j = 0; j < 3; j++) {
        b[i][j] = r.nextGaussian();
      }
    }
    for (int i = 0; i < 600; i++) {
      double a0 = r.nextGaussian();
      double a1 = r.nextGaussian();
      double z = 0.9 * a0 - 0.7 * a1 + 1.4 * b[i][0] - 1.0 * b[i][2];
      int y = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      bank.append(String.format(Locale.ROOT, "c%d,%d,%.6f,%.6f%n", i, y, a0, a1));
      RAW.computeIfAbsent("c" + i, k -> new HashMap<>()).put("bank/a0", round(a0));
      RAW.get("c" + i).put("bank/a1", round(a1));
      if (i % 5 == 0) {
        hold.append("c").append(i).append('\n');
      }
    }
    for (int i = 100; i < 700; i++) {
      prov.append(String.format(Locale.ROOT, "c%d,%.6f,%.6f,%.6f%n", i, b[i][0], b[i][1], b[i][2]));
      Map<String, Double> row = RAW.computeIfAbsent("c" + i, k -> new HashMap<>());
      for (int j = 0; j < 3; j++) {
        row.put("tax-bureau/b" + j, round(b[i][j]));
      }
    }
    Files.writeString(dir.resolve("bank.csv"), bank);
    Files.writeString(dir.resolve("tax.csv"), prov);
    Files.writeString(dir.resolve("holdout.csv"), hold);

    CliHarness.Run run =
        CliHarness.run(
            "run",
            spec("enc", "paillier", "publish: [bank, tax-bureau]", "").toString(),
            "--simulate",
            "--json",
            "--predictions",
            dir.resolve("enc.csv").toString(),
            "--scorecard-out",
            dir.resolve("card").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    paillier = new ObjectMapper().readTree(run.out());
    paillierPredictions = Files.readAllLines(dir.resolve("enc.csv"));
  }

  /** The value as the CSV holds it (6 decimals). */
  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.6f", v));
  }

  static Path spec(String name, String crypto, String scorecard, String binningExtra)
      throws Exception {
    String yaml =
        "job: card-"
            + name
            + "\nalgorithm: scorecard\ncrypto: "
            + crypto
            + "\nlabel_party: bank\nholdout_ids: holdout.csv\n"
            + "parties:\n"
            + "  bank: {data: bank.csv, id_column: id, label_column: y}\n"
            + "  tax-bureau: {data: tax.csv, id_column: id}\n"
            + "binning: {bins: 5, min_bin_rows: 20, iv_threshold: 0.1"
            + binningExtra
            + "}\n"
            + "scorecard: {base_score: 600, base_odds: 20, pdo: 40, "
            + scorecard
            + "}\n"
            + "train: {epochs: 4, batch_size: 100, learning_rate: 0.3, tolerance: 0, seed: 9}\n";
    Path p = dir.resolve(name + ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void theExportedCardScoresEveryHoldoutRowAsTheModelDoes() throws Exception {
    assertThat(paillier.get("algorithm").asText()).isEqualTo("scorecard");
    assertThat(paillier.get("crypto").get("keyBits").asInt()).isEqualTo(2048);
    assertThat(paillier.get("holdout_rows").asInt()).isEqualTo(100); // c100..c595, every 5th
    assertThat(paillier.get("published_by").toString()).isEqualTo("[\"bank\",\"tax-bureau\"]");
    JsonNode points = paillier.get("scorecard");
    double factor = 40 / Math.log(2);
    double offset = 600 - factor * Math.log(20);
    assertThat(points.get("factor").asDouble()).isCloseTo(factor, within(1e-9));
    assertThat(points.get("offset").asDouble()).isCloseTo(offset, within(1e-9));
    int banded = 0;
    for (JsonNode band : points.get("holdout_scores").get("bands")) {
      banded += band.get("rows").asInt();
    }
    assertThat(banded).isEqualTo(100);

    Path out = dir.resolve("card");
    Scorecard card = Scorecard.fromJson(Files.readString(out.resolve("scorecard.json")));
    List<String> csv = Files.readAllLines(out.resolve("scorecard.csv"));
    assertThat(csv.get(0)).isEqualTo(Scorecard.CSV_HEADER);
    int attributes = card.characteristics().stream().mapToInt(c -> c.attributes().size()).sum();
    assertThat(csv).hasSize(1 + attributes);
    assertThat(card.characteristics()).hasSize(points.get("characteristics").asInt());

    assertThat(paillierPredictions.get(0)).isEqualTo("id,probability,score,band");
    assertThat(paillierPredictions).hasSize(101);
    for (String line : paillierPredictions.subList(1, paillierPredictions.size())) {
      String[] f = line.split(",");
      double p = Double.parseDouble(f[1]);
      double score = Double.parseDouble(f[2]);
      double expected = offset - factor * Math.log(p / (1 - p));
      assertThat(score).as(line).isCloseTo(expected, within(1e-6));
      // The committee's card, applied to the parties' raw values, gives the same score.
      assertThat(card.score(RAW.get(f[0]))).as(line).isCloseTo(expected, within(1e-6));
      assertThat(f[3]).isEqualTo(card.band(RAW.get(f[0])));
    }
  }

  @Test
  void ivSelectionDropsTheNoiseColumn() {
    // The provider discloses opaque names: b1 is tax-bureau/col1.
    JsonNode iv = paillier.get("iv");
    assertThat(iv.get("tax-bureau/col1").asDouble()).isLessThan(0.1);
    assertThat(iv.get("tax-bureau/col0").asDouble()).isGreaterThan(0.1);
    assertThat(paillier.get("selected_columns").toString())
        .contains("tax-bureau/col0", "tax-bureau/col2", "bank/a0")
        .doesNotContain("tax-bureau/col1");
    Path out = dir.resolve("card");
    List<String> names;
    try {
      names =
          Scorecard.fromJson(Files.readString(out.resolve("scorecard.json")))
              .characteristics()
              .stream()
              .map(Characteristic::name)
              .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(names).contains("tax-bureau/b0", "tax-bureau/b2").doesNotContain("tax-bureau/b1");
  }

  @Test
  void thePlaintextSimulationPredictsExactlyWhatPaillierPredicts() throws Exception {
    Path pred = dir.resolve("plain.csv");
    CliHarness.Run plain =
        CliHarness.run(
            "run",
            spec("plain", "plaintext-insecure", "publish: [bank, tax-bureau]", "").toString(),
            "--simulate",
            "--json",
            "--predictions",
            pred.toString());
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(Files.readAllLines(pred)).isEqualTo(paillierPredictions);
  }

  @Test
  void aProviderThatDoesNotPublishIsNotMerged() throws Exception {
    Path p = spec("private", "plaintext-insecure", "publish: [bank]", "");
    CliHarness.Run refused =
        CliHarness.run(
            "run", p.toString(), "--simulate", "--scorecard-out", dir.resolve("x").toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("[tax-bureau] did not agree to publish");
    assertThat(dir.resolve("x")).doesNotExist();

    // Without an export the job runs, and only the bank's part is published.
    CliHarness.Run run = CliHarness.run("run", p.toString(), "--simulate", "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(new ObjectMapper().readTree(run.out()).get("published_by").toString())
        .isEqualTo("[\"bank\"]");
  }

  @Test
  void badScorecardSectionsAreRefusedByKey() throws Exception {
    CliHarness.Run unknown =
        CliHarness.run(
            "run",
            spec("bad1", "plaintext-insecure", "", ", colour: red").toString(),
            "--simulate");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("binning.colour");
    CliHarness.Run method =
        CliHarness.run(
            "run",
            spec("bad2", "plaintext-insecure", "", ", method: kmeans").toString(),
            "--simulate");
    assertThat(method.exit()).isEqualTo(2);
    assertThat(method.err()).contains("binning.method: 'kmeans'");
    CliHarness.Run who =
        CliHarness.run(
            "run",
            spec("bad3", "plaintext-insecure", "publish: [coordinator]", "").toString(),
            "--simulate");
    assertThat(who.exit()).isEqualTo(2);
    assertThat(who.err()).contains("scorecard.publish: 'coordinator'");
  }
}
