package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedcredit.cli.deploy.ChildProcesses;
import org.fedcredit.cli.deploy.DeploymentFiles;
import org.fedcredit.cli.deploy.FourNodeDemo;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's acceptance over real processes: a coordinator, the bank's node and the provider's node
 * as three JVMs over mutual TLS on loopback serve decisions for default_credit applicants from
 * shards written by {@code run --simulate --model-out}, and every decision's probability equals the
 * offline batch prediction of the same model ({@code --predictions}) to 1e-9 — for vertical LR
 * (provider discloses per column) and SecureBoost (provider discloses one block).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingDeploymentTest {

  static final Path DATA = Path.of("..", "examples", "default-credit");
  static final int ROWS = 1500;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static ChildProcesses procs;
  static Map<String, Integer> ports = new LinkedHashMap<>();
  static Map<String, Map<String, Double>> bankRows;
  static String withoutConsent;
  static String unknownToProvider;

  @BeforeAll
  static void deploy() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    List<String> guest = Files.readAllLines(DATA.resolve("default_credit_hetero_guest.csv"));
    List<String> host = Files.readAllLines(DATA.resolve("default_credit_hetero_host.csv"));
    Files.write(dir.resolve("data/bank.csv"), guest.subList(0, ROWS + 1));
    // The provider knows all but the last row of the bank's extract.
    Files.write(dir.resolve("data/provider.csv"), host.subList(0, ROWS));
    unknownToProvider = id(guest.get(ROWS));
    List<String> providerIds =
        host.subList(1, ROWS).stream().map(ServingDeploymentTest::id).toList();
    withoutConsent = providerIds.get(3);
    List<String> hold = new ArrayList<>(List.of("id"));
    java.util.Set<String> bankIds = new java.util.HashSet<>(providerIds);
    Files.readAllLines(DATA.resolve("default_credit_test_ids_seed42.csv")).stream()
        .skip(1)
        .filter(bankIds::contains)
        .forEach(hold::add);
    Files.write(dir.resolve("data/holdout.csv"), hold);
    bankRows = RunModelOutTest.rows(dir.resolve("data/bank.csv"), "y");

    train(
        "serve-lr",
        "algorithm: vertical-lr\n",
        "  provider: {data: data/provider.csv, id_column: id, preprocessing: {standardize: true}}\n",
        "train: {epochs: 6, batch_size: 256, learning_rate: 0.15, l2: 0, tolerance: 0, seed: 42}\n");
    train(
        "serve-sb",
        "algorithm: secureboost\n",
        "  provider: {data: data/provider.csv, id_column: id}\n",
        "train: {trees: 6, depth: 3, bins: 16, learning_rate: 0.3, min_samples_leaf: 20, seed: 7}\n");

    Path certs = dir.resolve("certs");
    CertificateAuthority.init(certs);
    for (String p : List.of("coordinator", "bank", "provider")) {
      CertificateAuthority.issue(certs, p);
    }
    for (String p : List.of("coordinator", "bank", "provider", "bank/http")) {
      ports.put(p, DeploymentFiles.freePort());
    }
    DeploymentFiles.coordinatorConfig(dir, ports, List.of("bank", "provider"), 10);
    DeploymentFiles.consentFile(
        dir.resolve("data/bank_consent.csv"),
        bankRows.keySet(),
        "credit-scoring",
        java.time.LocalDate.now().plusYears(1));
    DeploymentFiles.consentFile(
        dir.resolve("data/provider_consent.csv"),
        // The enterprise unknown to the provider did consent: the node checks consent first.
        java.util.stream.Stream.concat(
                providerIds.stream().filter(i -> !i.equals(withoutConsent)),
                java.util.stream.Stream.of(unknownToProvider))
            .toList(),
        "credit-scoring",
        java.time.LocalDate.now().plusYears(1));
    procs = new ChildProcesses();
    procs.start(
        "coordinator",
        dir.resolve("logs/coordinator.log"),
        List.of("coordinator", "--config", dir.resolve("coordinator.yaml").toString()));
    FourNodeDemo.awaitReady(procs, "coordinator", dir.resolve("work/coordinator/ready.json"));
  }

  static String id(String line) {
    return line.substring(0, line.indexOf(','));
  }

  /** Trains {@code job} in the plaintext simulation; shards in models-<job>/, predictions. */
  static void train(String job, String algorithm, String provider, String train) throws Exception {
    Path spec = dir.resolve(job + ".yaml");
    Files.writeString(
        spec,
        "job: "
            + job
            + "\n"
            + algorithm
            + "crypto: plaintext-insecure\nlabel_party: bank\npurpose: credit-scoring\n"
            + "holdout_ids: data/holdout.csv\nparties:\n"
            + "  bank: {data: data/bank.csv, id_column: id, label_column: y}\n"
            + provider
            + train);
    CliHarness.Run r =
        CliHarness.run(
            "run",
            spec.toString(),
            "--simulate",
            "--predictions",
            dir.resolve(job + "-predictions.csv").toString(),
            "--model-out",
            dir.resolve("models-" + job).toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  /** (Re)starts the bank's and the provider's nodes serving {@code job}. */
  static void serve(String job, boolean providerPerColumn) throws Exception {
    for (String n : List.of("bank", "provider")) {
      Process p = procs.get(n);
      if (p != null && p.isAlive()) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(dir.resolve("work/" + n + "/ready.json"));
    }
    DeploymentFiles.nodeConfig(
        dir,
        "bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("y"),
        List.of(),
        "data/bank_consent.csv",
        List.of("*"));
    Files.writeString(
        dir.resolve("bank.yaml"),
        "serving:\n"
            + "  model: "
            + job
            + "\n"
            + "  shard: models-"
            + job
            + "/bank.json\n"
            + "  http: {host: 127.0.0.1, port: "
            + ports.get("bank/http")
            + "}\n"
            + "  parties: {provider: 127.0.0.1:"
            + ports.get("provider")
            + "}\n"
            + "  timeout_ms: 5000\n"
            + "  approve_if: {max_probability_of_default: 0.3}\n"
            + "  reason_codes: builtin:default-credit\n"
            + "  actionable:\n"
            + "    x0: {direction: down, min: -2, max: 6}\n"
            + "    x7: {direction: up, min: -1, max: 20}\n"
            + "    x8: {direction: up, min: -1, max: 20}\n",
        java.nio.file.StandardOpenOption.APPEND);
    DeploymentFiles.nodeConfig(
        dir,
        "provider",
        ports,
        "bureau",
        "data/provider.csv",
        Optional.empty(),
        List.of(),
        "data/provider_consent.csv",
        List.of("*"));
    Files.writeString(
        dir.resolve("provider.yaml"),
        "serving:\n"
            + "  model: "
            + job
            + "\n"
            + "  shard: models-"
            + job
            + "/provider.json\n"
            + (providerPerColumn ? "  per_column_attributions: [bank]\n" : ""),
        java.nio.file.StandardOpenOption.APPEND);
    for (String n : List.of("provider", "bank")) {
      procs.start(
          n,
          dir.resolve("logs/" + n + "-" + job + ".log"),
          List.of("node", "--config", dir.resolve(n + ".yaml").toString()));
    }
    for (String n : List.of("provider", "bank")) {
      FourNodeDemo.awaitReady(procs, n, dir.resolve("work/" + n + "/ready.json"));
    }
  }

  @AfterAll
  static void stop() {
    if (procs != null) {
      procs.close();
      assertThat(procs.allStopped()).as("every process stopped").isTrue();
    }
  }

  static HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get("bank/http") + "/v1/decisions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode decide(String id, Map<String, Double> fields) throws Exception {
    ObjectNode req = JSON.createObjectNode().put("enterprise_id", id);
    ObjectNode f = req.putObject("fields");
    fields.forEach((k, v) -> f.put(k, v));
    HttpResponse<String> r = post(req.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  static Map<String, Double> predictions(String job) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve(job + "-predictions.csv")).subList(1, 61)) {
      String[] f = line.split(",");
      out.put(f[0], Double.parseDouble(f[1]));
    }
    return out;
  }

  /** Base value + Σ contributions = output = logit(probability of default). */
  static void assertAdditive(JsonNode d) {
    JsonNode e = d.get("explanation");
    double sum = e.get("baseValue").asDouble();
    for (JsonNode c : e.get("contributions")) {
      sum += c.get("value").asDouble();
    }
    assertThat(sum).isCloseTo(e.get("output").asDouble(), within(1e-9));
    double pd = d.get("probabilityOfDefault").asDouble();
    assertThat(1 / (1 + Math.exp(-e.get("output").asDouble()))).isCloseTo(pd, within(1e-12));
  }

  @Test
  @Order(1)
  void linearDecisionsEqualTheBatchPredictionsAndExplainPerColumn() throws Exception {
    serve("serve-lr", true);
    int refused = 0;
    for (var p : predictions("serve-lr").entrySet()) {
      JsonNode d = decide(p.getKey(), bankRows.get(p.getKey()));
      assertThat(d.get("outcome").asText()).isIn("APPROVED", "REFUSED");
      assertThat(d.get("probabilityOfDefault").asDouble())
          .as("id " + p.getKey())
          .isCloseTo(p.getValue(), within(1e-9));
      assertThat(d.get("model").get("job").asText()).isEqualTo("serve-lr");
      assertAdditive(d);
      List<String> keys = new ArrayList<>();
      d.get("explanation").get("contributions").forEach(c -> keys.add(c.get("key").asText()));
      assertThat(keys).contains("provider:x5", "bank:x0").doesNotContain("provider:*");
      if (d.get("outcome").asText().equals("REFUSED")) {
        refused++;
        assertThat(d.get("reasons").size()).isBetween(1, 4);
        for (JsonNode r : d.get("reasons")) {
          // Sex, marital status and age (provider x1, x3, x4) are protected: R10-R12.
          assertThat(r.get("code").asText()).isNotIn("R10", "R11", "R12");
          assertThat(r.get("text").get("zh").asText()).isNotBlank();
        }
      } else {
        assertThat(d.get("reasons")).isEmpty();
      }
    }
    assertThat(refused).as("some of 60 applicants refused at PD > 0.3").isPositive();
  }

  @Test
  @Order(2)
  void aSuggestionReallyFlipsTheDecisionWhenTheApplicantResubmits() throws Exception {
    int flipped = 0;
    for (String id : predictions("serve-lr").keySet()) {
      JsonNode d = decide(id, bankRows.get(id));
      if (!d.get("outcome").asText().equals("REFUSED") || d.get("counterfactuals").isEmpty()) {
        continue;
      }
      for (JsonNode s : d.get("counterfactuals")) {
        Map<String, Double> changed = new LinkedHashMap<>(bankRows.get(id));
        for (JsonNode c : s.get("changes")) {
          assertThat(c.get("column").asText()).isIn("x0", "x7", "x8");
          changed.put(c.get("column").asText(), c.get("to").asDouble());
        }
        JsonNode again = decide(id, changed);
        assertThat(again.get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(again.get("probabilityOfDefault").asDouble())
            .isCloseTo(s.get("newProbabilityOfDefault").asDouble(), within(1e-12));
        flipped++;
      }
      if (flipped >= 4) {
        break;
      }
    }
    assertThat(flipped).as("suggestions re-scored over the federation").isPositive();
  }

  @Test
  @Order(3)
  void theGrpcScoreCallDecidesForTheBanksOwnCertificateOnly() throws Exception {
    String id = predictions("serve-lr").keySet().iterator().next();
    double expected = predictions("serve-lr").get(id);
    org.fedcredit.protocols.serving.v1.ScoreRequest req =
        org.fedcredit.protocols.serving.v1.ScoreRequest.newBuilder()
            .setEnterpriseId(id)
            .putAllFields(
                bankRows.get(id).entrySet().stream()
                    .filter(e -> !e.getValue().isNaN())
                    .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue())))
            .build();
    io.grpc.ManagedChannel bankChannel = channel("bank");
    try {
      org.fedcredit.protocols.serving.v1.ScoreResponse r =
          org.fedcredit.protocols.serving.v1.DecisionsGrpc.newBlockingStub(bankChannel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .score(req);
      assertThat(r.getProbabilityOfDefault()).isCloseTo(expected, within(1e-9));
      assertThat(r.getPagePath()).isEqualTo("/decisions/" + r.getToken());
      assertThat(JSON.readTree(r.getDecisionJson()).get("token").asText()).isEqualTo(r.getToken());
    } finally {
      bankChannel.shutdownNow();
    }
    io.grpc.ManagedChannel providerChannel = channel("provider");
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  org.fedcredit.protocols.serving.v1.DecisionsGrpc.newBlockingStub(providerChannel)
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .score(req))
          .isInstanceOf(io.grpc.StatusRuntimeException.class)
          .hasMessageContaining("PERMISSION_DENIED")
          .hasMessageContaining("provider may not ask for credit decisions");
    } finally {
      providerChannel.shutdownNow();
    }
  }

  /** A channel to the bank's gRPC endpoint with {@code party}'s certificate. */
  static io.grpc.ManagedChannel channel(String party) {
    Path certs = dir.resolve("certs");
    return org.fedcredit.transport.grpc.GrpcChannels.forPeer(
        org.fedcredit.transport.tls.TransportSecurity.mutualTls(
            new org.fedcredit.transport.tls.TlsIdentity(
                certs.resolve("ca.crt"),
                certs.resolve(party + ".crt"),
                certs.resolve(party + ".key"))),
        org.fedcredit.modelzoo.federation.PartyId.of("bank"),
        new org.fedcredit.transport.grpc.PeerAddress("127.0.0.1", ports.get("bank")));
  }

  @Test
  @Order(3)
  void noConsentNoDataOrBadInputIsNeverASilentScore() throws Exception {
    JsonNode noConsent = decide(withoutConsent, bankRows.get(withoutConsent));
    assertThat(noConsent.get("outcome").asText()).isEqualTo("CANNOT_DECIDE");
    assertThat(noConsent.get("note").get("en").asText())
        .contains("provider holds no valid consent of enterprise " + withoutConsent);
    JsonNode unknown = decide(unknownToProvider, bankRows.get(unknownToProvider));
    assertThat(unknown.get("outcome").asText()).isEqualTo("CANNOT_DECIDE");
    assertThat(unknown.get("note").get("en").asText()).contains("provider has no data on");

    HttpResponse<String> bad = post("{\"enterprise_id\": \"1\", \"fields\": {\"x99\": 1}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("fields.x99 is not a field of model serve-lr");
    HttpResponse<String> notJson = post("{\"enterprise_id\": ");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not valid JSON");
    HttpResponse<String> tooLarge = post("{\"enterprise_id\": \"" + "9".repeat(70_000) + "\"}");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("larger than 64 KiB");
    // Without a Content-Length (chunked), the application is read as well.
    ObjectNode req = JSON.createObjectNode().put("enterprise_id", withoutConsent);
    ObjectNode f = req.putObject("fields");
    bankRows.get(withoutConsent).forEach((k, v) -> f.put(k, v));
    byte[] bytes = req.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> chunked =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ports.get("bank/http") + "/v1/decisions"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(bytes)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(201);
    assertThat(JSON.readTree(chunked.body()).get("enterpriseId").asText())
        .isEqualTo(withoutConsent);

    String page =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + ports.get("bank/http")
                                + noConsent.get("page").asText()))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(page).contains(withoutConsent);
  }

  @Test
  @Order(4)
  void treeDecisionsEqualTheBatchPredictionsAndShowTheProviderAsOneBlock() throws Exception {
    serve("serve-sb", false);
    for (var p : predictions("serve-sb").entrySet()) {
      JsonNode d = decide(p.getKey(), bankRows.get(p.getKey()));
      assertThat(d.get("probabilityOfDefault").asDouble())
          .as("id " + p.getKey())
          .isCloseTo(p.getValue(), within(1e-9));
      assertAdditive(d);
      List<String> providerKeys = new ArrayList<>();
      d.get("explanation")
          .get("contributions")
          .forEach(
              c -> {
                if (c.get("party").asText().equals("provider")) {
                  providerKeys.add(c.get("key").asText());
                }
              });
      assertThat(providerKeys).containsOnly("provider:*");
    }
  }

  @Test
  @Order(5)
  void aProviderThatIsGoneMakesTheDecisionCannotDecideNamingIt() throws Exception {
    Process p = procs.get("provider");
    p.destroyForcibly();
    p.waitFor(20, TimeUnit.SECONDS);
    String id = predictions("serve-sb").keySet().iterator().next();
    JsonNode d = decide(id, bankRows.get(id));
    assertThat(d.get("outcome").asText()).isEqualTo("CANNOT_DECIDE");
    assertThat(d.get("note").get("en").asText()).contains("provider");
    assertThat(d.get("probabilityOfDefault").asText()).isEqualTo("NaN");
    assertThat(d.get("explanation").isNull()).isTrue();
  }
}
