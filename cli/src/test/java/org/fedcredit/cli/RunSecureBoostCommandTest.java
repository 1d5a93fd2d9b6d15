package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedcredit run} with {@code algorithm: secureboost} on a slice of default_credit: the
 * Paillier run predicts exactly what the unencrypted run predicts (SecureBoost is lossless), and
 * the federated trees beat the bank's columns alone.
 */
class RunSecureBoostCommandTest {

  static final Path DATA = Path.of("..", "examples", "default-credit");

  @TempDir Path dir;

  Path spec(String crypto) throws Exception {
    List<String> guest = Files.readAllLines(DATA.resolve("default_credit_hetero_guest.csv"));
    List<String> host = Files.readAllLines(DATA.resolve("default_credit_hetero_host.csv"));
    Files.write(dir.resolve("bank.csv"), guest.subList(0, 1601));
    Files.write(dir.resolve("provider.csv"), host.subList(0, 1601));
    List<String> hold = new ArrayList<>(List.of("id"));
    for (int i = 1; i <= 1600; i += 4) {
      hold.add(guest.get(i).substring(0, guest.get(i).indexOf(',')));
    }
    Files.write(dir.resolve("holdout.csv"), hold);
    Path p = dir.resolve("sb-" + crypto + ".yaml");
    Files.writeString(
        p,
        "job: sb-test\nalgorithm: secureboost\ncrypto: "
            + crypto
            + "\nlabel_party: bank\nholdout_ids: holdout.csv\n"
            + "parties:\n"
            + "  bank: {data: bank.csv, id_column: id, label_column: y}\n"
            + "  provider: {data: provider.csv, id_column: id}\n"
            + "train: {trees: 3, depth: 3, bins: 16, learning_rate: 0.3, min_samples_leaf: 20,"
            + " seed: 7}\n");
    return p;
  }

  @Test
  void paillierTreesPredictExactlyWhatThePlaintextTreesPredict() throws Exception {
    Path paillierPred = dir.resolve("paillier.csv");
    CliHarness.Run enc =
        CliHarness.run(
            "run",
            spec("paillier").toString(),
            "--simulate",
            "--json",
            "--predictions",
            paillierPred.toString());
    assertThat(enc.exit()).as(enc.err()).isZero();
    Path plainPred = dir.resolve("plain.csv");
    CliHarness.Run plain =
        CliHarness.run(
            "run",
            spec("plaintext-insecure").toString(),
            "--simulate",
            "--json",
            "--predictions",
            plainPred.toString());
    assertThat(plain.exit()).as(plain.err()).isZero();

    assertThat(Files.readAllLines(paillierPred))
        .hasSize(401)
        .isEqualTo(Files.readAllLines(plainPred));
    JsonNode r = new ObjectMapper().readTree(enc.out());
    assertThat(r.get("algorithm").asText()).isEqualTo("secureboost");
    assertThat(r.get("crypto").get("key_bits").asInt()).isEqualTo(2048);
    assertThat(r.get("holdout_rows").asInt()).isEqualTo(400);
    double fed = r.get("metrics").get("auc").asDouble();
    double alone = r.get("bank_only_metrics").get("auc").asDouble();
    assertThat(fed).isGreaterThan(alone).isGreaterThan(0.65);
    assertThat(enc.err()).contains("[train] SecureBoost, paillier, 2048-bit key held by bank");
  }

  @Test
  void anUnknownTrainingKeyIsNamed() throws Exception {
    Path p = spec("paillier");
    Files.writeString(p, Files.readString(p).replace("trees: 3", "tree: 3"));
    CliHarness.Run r = CliHarness.run("run", p.toString(), "--simulate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("train.tree").contains("trees");
  }
}
