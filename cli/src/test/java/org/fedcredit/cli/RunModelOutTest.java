package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.serving.BankModel;
import org.fedcredit.modelzoo.serving.FeatureModel;
import org.fedcredit.modelzoo.serving.PartyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedcredit run --simulate --model-out DIR}: the shards written to DIR, loaded back as a
 * bank node and a provider node would load them, score every hold-out row from the raw CSV values
 * to the probabilities {@code --predictions} wrote.
 */
class RunModelOutTest {

  @TempDir Path dir;

  /** The CSV's rows by id: column name → value (empty cell = NaN). */
  static Map<String, Map<String, Double>> rows(Path csv, String... skip) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",", -1);
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Map<String, Double> row = new LinkedHashMap<>();
      for (int j = 1; j < header.length; j++) {
        if (!List.of(skip).contains(header[j])) {
          row.put(header[j], f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]));
        }
      }
      out.put(f[0], row);
    }
    return out;
  }

  @Test
  void theWrittenShardsServeTheHoldoutPredictions() throws Exception {
    List<String> guest =
        new ArrayList<>(
            Files.readAllLines(
                RunSecureBoostCommandTest.DATA.resolve("default_credit_hetero_guest.csv")));
    List<String> host =
        Files.readAllLines(
            RunSecureBoostCommandTest.DATA.resolve("default_credit_hetero_host.csv"));
    for (int i = 1; i <= 800; i += 9) { // some missing bank values: default directions
      String[] f = guest.get(i).split(",", -1);
      f[4] = "";
      guest.set(i, String.join(",", f));
    }
    Files.write(dir.resolve("bank.csv"), guest.subList(0, 801));
    Files.write(dir.resolve("provider.csv"), host.subList(0, 801));
    List<String> hold = new ArrayList<>(List.of("id"));
    for (int i = 1; i <= 800; i += 4) {
      hold.add(guest.get(i).substring(0, guest.get(i).indexOf(',')));
    }
    Files.write(dir.resolve("holdout.csv"), hold);
    Path spec = dir.resolve("sb.yaml");
    Files.writeString(
        spec,
        "job: sb-serve\nalgorithm: secureboost\ncrypto: plaintext-insecure\n"
            + "label_party: bank\nholdout_ids: holdout.csv\n"
            + "parties:\n"
            + "  bank: {data: bank.csv, id_column: id, label_column: y}\n"
            + "  provider: {data: provider.csv, id_column: id,"
            + " preprocessing: {standardize: true}}\n"
            + "train: {trees: 3, depth: 3, bins: 16, learning_rate: 0.3, min_samples_leaf: 20,"
            + " seed: 7}\n");
    Path models = dir.resolve("models");
    Path predictions = dir.resolve("p.csv");
    CliHarness.Run r =
        CliHarness.run(
            "run",
            spec.toString(),
            "--simulate",
            "--predictions",
            predictions.toString(),
            "--model-out",
            models.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    try (var files = Files.list(models)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("bank.json", "provider.json");
    }

    BankModel bank = (BankModel) PartyModel.read(models.resolve("bank.json"));
    FeatureModel provider = (FeatureModel) PartyModel.read(models.resolve("provider.json"));
    Map<String, Map<String, Double>> bankRows = rows(dir.resolve("bank.csv"), "y");
    Map<String, Map<String, Double>> providerRows = rows(dir.resolve("provider.csv"));
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines).hasSize(201);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double served =
          bank.score(
                  bankRows.get(f[0]),
                  Map.of("provider", provider.part(providerRows.get(f[0]), false)))
              .probability();
      assertThat(served).as("id " + f[0]).isCloseTo(Double.parseDouble(f[1]), within(1e-9));
    }
  }

  @Test
  void helpDocumentsModelOut() {
    CliHarness.Run r = CliHarness.run("run", "--help");
    assertThat(r.out()).contains("--model-out").contains("fedcredit-shard/1");
  }
}
