package org.fedcredit.participantnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code serving:} section: what it reads, and a precise message for each mistake. */
class ServingConfigTest {

  static final Map<String, String> ENV =
      Map.of("PG_TEST_PASSWORD", "s3cret", "OFFICER", "0123456789abcdef0123", "SHORT", "abc");

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void files() throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("data"));
    for (String f : List.of("certs/ca.crt", "certs/tax-bureau.crt", "certs/tax-bureau.key")) {
      Files.writeString(dir.resolve(f), "-----BEGIN PLACEHOLDER-----\n");
    }
    Files.writeString(
        dir.resolve("data/tax.csv"), "id,vat_m1,vat_m2,industry\ne1,1,2,retail\ne2,3,,agri\n");
    Files.writeString(
        dir.resolve("data/tax_consent.csv"),
        "enterprise_id,scope,expires\ne1,credit-scoring,2030-01-01\n");
    Files.writeString(dir.resolve("codes.yaml"), "name: x\n");
    config = dir.resolve("node.yaml");
  }

  /** NodeConfigTest.VALID (24 lines) followed by {@code serving}. */
  NodeConfig load(String... serving) throws Exception {
    List<String> lines = new ArrayList<>(NodeConfigTest.VALID);
    lines.addAll(List.of(serving));
    Files.writeString(config, String.join("\n", lines) + "\n");
    return NodeConfig.load(config, ENV);
  }

  void assertError(String expected, String... serving) {
    assertThatThrownBy(() -> load(serving))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage(config + expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void absentMeansOff() throws Exception {
    assertThat(load().serving()).isEmpty();
  }

  @Test
  void aFeaturePartyNamesTheModelItsDatasetAndWhoSeesColumns() throws Exception {
    ServingConfig s =
        load(
                "serving:",
                "  model: sme-lr",
                "  dataset: invoices",
                "  per_column_attributions: [bank]")
            .serving()
            .orElseThrow();
    assertThat(s.model()).isEqualTo("sme-lr");
    assertThat(s.dataset()).contains("invoices");
    assertThat(s.perColumnAttributions()).containsExactly("bank");
    assertThat(s.shard()).isEmpty();
    assertThat(s.bank()).isEmpty();
  }

  @Test
  void theBankReadsEveryKey() throws Exception {
    ServingConfig s =
        load(
                "serving:",
                "  model: sme-lr",
                "  shard: codes.yaml",
                "  http: {port: 0}",
                "  parties: {tax-bureau: 127.0.0.1:7101, utility: 'localhost:7102'}",
                "  timeout_ms: 250",
                "  approve_if: {min_score: 560}",
                "  reason_codes: codes.yaml",
                "  actionable:",
                "    overdraft: {direction: down, min: 0, integer: true}",
                "    revenue: {max: 1e7}",
                "  store: {url: 'jdbc:postgresql://127.0.0.1:5432/test', password_env: PG_TEST_PASSWORD}",
                "  officer_token_env: OFFICER")
            .serving()
            .orElseThrow();
    assertThat(s.shard()).contains(dir.resolve("codes.yaml"));
    ServingConfig.Bank b = s.bank().orElseThrow();
    assertThat(b.http()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 0));
    assertThat(b.parties())
        .containsExactly(
            Map.entry("tax-bureau", new NodeConfig.Endpoint("127.0.0.1", 7101)),
            Map.entry("utility", new NodeConfig.Endpoint("localhost", 7102)));
    assertThat(b.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(b.rule().minScore()).contains(560.0);
    assertThat(b.rule().maxProbability()).isEmpty();
    assertThat(b.reasonCodes()).isEqualTo(dir.resolve("codes.yaml").toString());
    assertThat(b.actionable().get("overdraft"))
        .isEqualTo(
            new ServingConfig.Actionable(
                ServingConfig.Direction.DOWN, Optional.of(0.0), Optional.empty(), true));
    assertThat(b.actionable().get("revenue").direction()).isEqualTo(ServingConfig.Direction.BOTH);
    assertThat(b.store().orElseThrow().password()).contains("s3cret");
    assertThat(b.officerToken()).contains("0123456789abcdef0123");
  }

  @Test
  void defaults() throws Exception {
    ServingConfig.Bank b =
        load(
                "serving:",
                "  model: m",
                "  http: {port: 8080}",
                "  parties: {utility: 127.0.0.1:7102}",
                "  approve_if: {max_probability_of_default: 0.2}",
                "  reason_codes: builtin:sme")
            .serving()
            .orElseThrow()
            .bank()
            .orElseThrow();
    assertThat(b.timeout()).isEqualTo(Duration.ofMillis(ServingConfig.DEFAULT_TIMEOUT_MS));
    assertThat(b.reasonCodes()).isEqualTo("builtin:sme");
    assertThat(b.store()).isEmpty();
    assertThat(b.officerToken()).isEmpty();
    assertThat(b.actionable()).isEmpty();
  }

  @Test
  void mistakesAreNamedWithTheirLine() {
    assertError(
        ":26: missing key 'model' under 'serving'; add model: <job id of the published model>",
        "serving:",
        "  dataset: invoices");
    assertError(
        ":27: serving.dataset: no dataset 'nope' under datasets; use one of [invoices, power]",
        "serving:",
        "  model: m",
        "  dataset: nope");
    assertError(
        ":27: unknown key 'timeout' under 'serving'; allowed: model, shard, dataset,"
            + " per_column_attributions, http, parties, timeout_ms, approve_if, reason_codes,"
            + " actionable, store, officer_token_env",
        "serving:",
        "  model: m",
        "  timeout: 3");
    assertError(
        ":27: serving.approve_if: is for the bank's decision API, which needs serving.http {host,"
            + " port}; add http on the bank's node or remove approve_if",
        "serving:",
        "  model: m",
        "  approve_if: {min_score: 500}");
    String[] bank = {
      "serving:",
      "  model: m",
      "  http: {port: 8080}",
      "  parties: {utility: 127.0.0.1:7102}",
      "  approve_if: {max_probability_of_default: 0.2}",
      "  reason_codes: builtin:sme"
    };
    assertError(
        ":28: serving.parties.utility: 'nowhere' is not host:port; write e.g. 127.0.0.1:7101",
        replace(bank, 3, "  parties: {utility: nowhere}"));
    assertError(
        ":29: serving.approve_if: give exactly one of max_probability_of_default (0-1) and"
            + " min_score",
        replace(bank, 4, "  approve_if: {max_probability_of_default: 0.2, min_score: 3}"));
    assertError(
        ":29: serving.approve_if.max_probability_of_default: 1.5 must be between 0 and 1"
            + " (exclusive)",
        replace(bank, 4, "  approve_if: {max_probability_of_default: 1.5}"));
    assertError(
        ":30: serving.reason_codes: "
            + dir.resolve("missing.yaml")
            + " does not exist; fix the path (relative paths start at "
            + dir
            + ")",
        replace(bank, 5, "  reason_codes: missing.yaml"));
    assertError(
        ":31: serving.actionable.x.direction: 'sideways' must be up, down or both",
        append(bank, "  actionable: {x: {direction: sideways}}"));
    assertError(
        ":31: serving.timeout_ms: 0 is out of range; use 1-60000", append(bank, "  timeout_ms: 0"));
    assertError(
        ":31: serving.officer_token_env: the environment variable SHORT holds fewer than 16"
            + " characters; export a long random token (e.g. openssl rand -hex 24) before"
            + " starting the node",
        append(bank, "  officer_token_env: SHORT"));
  }

  static String[] replace(String[] lines, int i, String line) {
    String[] out = lines.clone();
    out[i] = line;
    return out;
  }

  static String[] append(String[] lines, String line) {
    String[] out = java.util.Arrays.copyOf(lines, lines.length + 1);
    out[lines.length] = line;
    return out;
  }
}
