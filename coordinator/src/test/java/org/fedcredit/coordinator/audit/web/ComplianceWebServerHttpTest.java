package org.fedcredit.coordinator.audit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditException;
import org.fedcredit.coordinator.audit.AuditFixture;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compliance server's JSON and text endpoints and its errors, over real HTTP. */
class ComplianceWebServerHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  CoordinatorStore store;
  AuditLog log;
  ComplianceWebServer server;
  long size;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = AuditLog.open(store, AuditFixture.key());
    size = AuditFixture.fill(store, log);
    server = ComplianceWebServer.start(log, store, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theProofOfAnEntryVerifiesOfflineWithTheLogKeyAlone() throws Exception {
    HttpResponse<String> r = get("/audit/entries/7/proof");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("index").asLong()).isEqualTo(7);
    assertThat(n.get("entry").get("type").asText()).isEqualTo("crypto-round");
    assertThat(n.get("entry").get("round").asText()).isEqualTo("1");
    assertThat(n.get("leaf_hash").asText())
        .isEqualTo(MerkleTree.hex(MerkleTree.leafHash(log.log().entry(7))));
    assertThat(n.get("tree_size").asLong()).isEqualTo(size);
    assertThat(n.get("checkpoint").asText()).startsWith("fedcredit/coordinator\n" + size + "\n");

    SignedCheckpoint c = EntryProof.parse(r.body()).verify(AuditFixture.key().verifier());
    assertThat(c.size()).isEqualTo(size);
    assertThat(c.root()).isEqualTo(log.log().root(size));
  }

  @Test
  void aProofWithAnEditedEntryOrPathDoesNotVerify() throws Exception {
    String body = get("/audit/entries/2/proof").body();
    var key = AuditFixture.key().verifier();
    EntryProof p = EntryProof.parse(body);

    byte[] other = log.log().entry(3);
    EntryProof swapped =
        new EntryProof(
            p.index(),
            MerkleTree.leafHash(other),
            other,
            p.treeSize(),
            p.root(),
            p.inclusionProof(),
            p.checkpoint(),
            p.publicKey());
    assertThatThrownBy(() -> swapped.verify(key))
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("entry 2 is not proven in the signed tree");

    String editedEntry = body.replace("\"tax-bureau\"", "\"utility\"");
    assertThatThrownBy(() -> EntryProof.parse(editedEntry))
        .hasMessageContaining("the decoded \"entry\" is not the entry whose bytes are proven");

    String editedData =
        body.replaceFirst(
            "\"leaf_hash\" : \"[0-9a-f]{64}\"", "\"leaf_hash\" : \"" + "00".repeat(32) + "\"");
    assertThatThrownBy(() -> EntryProof.parse(editedData).verify(key))
        .hasMessageContaining("the entry or its leaf hash was edited");

    assertThatThrownBy(
            () ->
                EntryProof.parse(body)
                    .verify(
                        org.fedcredit.coordinator.translog.NoteKeys.generate("other").verifier()))
        .hasMessageContaining(
            "the checkpoint does not verify: the checkpoint is not signed by other");
  }

  @Test
  void aProofOfAnEntryNewerThanTheLatestCheckpointSignsOne() throws Exception {
    long i =
        log.append(
            AuditEntry.ofJob("job-ended", AuditFixture.OK, AuditFixture.T0, Map.of("state", "x")));

    HttpResponse<String> r = get("/audit/entries/" + i + "/proof");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(EntryProof.parse(r.body()).verify(AuditFixture.key().verifier()).size())
        .isEqualTo(i + 1);
  }

  @Test
  void badAndUnknownIndicesGive400And404WithTheReason() throws Exception {
    HttpResponse<String> beyond = get("/audit/entries/" + size + "/proof");
    assertThat(beyond.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(beyond.body()).get("error").asText())
        .isEqualTo("the audit log has no entry " + size + "; it holds entries 0 to " + (size - 1));

    for (String bad : new String[] {"abc", "-1", "1.5", "99999999999999999999"}) {
      HttpResponse<String> r = get("/audit/entries/" + bad + "/proof");
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText())
          .isEqualTo("'" + bad + "' is not an entry index; use a whole number from 0");
    }
  }

  @Test
  void unknownAndMalformedJobsGive404And400EscapedPages() throws Exception {
    HttpResponse<String> unknown = get("/audit/jobs/job-nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .contains(
            "Neither the coordinator&#39;s job store nor the audit log knows a job job-nope.");

    HttpResponse<String> bad = get("/audit/jobs/%3Cscript%3Ex");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("&#39;&lt;script&gt;x&#39; is not a job id");
    assertThat(bad.body()).doesNotContain("<script>");

    assertThat(get("/audit/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
  }

  @Test
  void theRejectedJobsReasonIsEscaped() throws Exception {
    HttpResponse<String> r = get("/audit/jobs/" + AuditFixture.REJECTED);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("column &lt;script&gt;alert(1)&lt;/script&gt; is not allowed")
        .doesNotContain("<script>");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(ComplianceWebServer.CSP);
  }

  @Test
  void theExportCoversEveryEntryWithAFreshCheckpointAndVerifies() throws Exception {
    long i =
        log.append(
            AuditEntry.ofJob("job-ended", AuditFixture.OK, AuditFixture.T0, Map.of("state", "x")));
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/audit/export.json")).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"export.json\"");
    Path file = Files.write(dir.resolve("export.json"), r.body());
    Verifier.Result v = Verifier.verify(Export.read(file), AuditFixture.key().verifier());
    assertThat(v.verified()).as(v.problem()).isTrue();
    assertThat(v.leaves()).isEqualTo(i + 1);
  }

  @Test
  void theLogKeyIsServedAndWritesAreRefused() throws Exception {
    HttpResponse<String> pub = get("/audit/log.pub");
    assertThat(pub.statusCode()).isEqualTo(200);
    assertThat(pub.body()).isEqualTo(AuditFixture.key().verifier().encode() + "\n");

    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/audit"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(log.size()).isEqualTo(size);
  }

  @Test
  void theLogPageReportsATamperedEntryByIndex() throws Exception {
    assertThat(get("/audit").body()).contains("id=\"verdict\" class=\"ok\">Verified<");

    store.inTransaction(
        "tamper",
        c -> {
          try (var s = c.createStatement()) {
            s.execute("UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 4");
          }
          return null;
        });

    String page = get("/audit").body();
    assertThat(page).contains("id=\"verdict\" class=\"bad\">NOT verified<");
    assertThat(page).contains("entry 4 was modified").contains("(first bad index: 4)");
  }
}
