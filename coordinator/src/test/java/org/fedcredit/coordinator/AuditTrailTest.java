package org.fedcredit.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.LogKeys;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.Verifier;
import org.fedcredit.protocols.coordinator.v1.DecisionDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail's entries in a real embedded store: canonical bytes, indexing, dedupe. */
class AuditTrailTest {

  @TempDir Path dir;

  private static DecisionDigest digest(char c) {
    return DecisionDigest.newBuilder()
        .setModelJob("job-1")
        .setModelVersion("v1")
        .setDecisionSha256(String.valueOf(c).repeat(64))
        .setDecidedAtMs(1_700_000_000_000L)
        .build();
  }

  @Test
  void aDecisionReportedTwiceIsLoggedOnceAndKeepsItsIndex() throws Exception {
    try (CoordinatorStore store = CoordinatorStore.open(StoreConfig.embedded(dir))) {
      AuditLog log =
          AuditLog.open(store, LogKeys.loadOrCreate(dir.resolve("audit/log.key"), "test/log"));
      AuditTrail trail =
          new AuditTrail(
              log, store, Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC));

      List<Long> first =
          trail.decisionsServed("bank", List.of(digest('a'), digest('b')), d -> Optional.of(7L));
      List<Long> again =
          trail.decisionsServed(
              "bank", List.of(digest('b'), digest('c'), digest('c')), d -> Optional.empty());

      assertThat(first).containsExactly(0L, 1L);
      assertThat(again).containsExactly(1L, 2L, 2L);
      assertThat(log.size()).isEqualTo(3);
      AuditEntry e = log.entry(2);
      assertThat(e.type()).isEqualTo("decision-served");
      assertThat(e.job()).isEmpty();
      assertThat(e.fields())
          .containsEntry("decision_sha256", "c".repeat(64))
          .containsEntry("model_job", "job-1")
          .containsEntry("node", "bank")
          .doesNotContainKey("model_entry");
      assertThat(log.entry(0).fields()).containsEntry("model_entry", 7);
      // Canonical: sorted keys, no spaces; the same facts give the same bytes.
      String text = new String(log.log().entry(2), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text)
          .startsWith("{\"at\":\"2026-11-27T00:00:00Z\",\"decided_at\":")
          .contains("\"format\":\"fedcredit-audit/1\"")
          .doesNotContain(" ");
      assertThat(AuditEntry.parse(e.canonical()).canonical()).isEqualTo(e.canonical());
      // Exported and verified with the key file's public half.
      Path export = dir.resolve("export.json");
      log.exportTo(export);
      Verifier.Result v =
          Verifier.verify(Export.read(export), LogKeys.readVerifier(dir.resolve("audit/log.pub")));
      assertThat(v.verified()).as(v.problem()).isTrue();
      assertThat(v.leaves()).isEqualTo(3);
    }
  }

  @Test
  void aJobsEntriesAreFoundThroughTheIndexAndAModelsReleaseEntryByType() {
    try (CoordinatorStore store = CoordinatorStore.open(StoreConfig.embedded(dir))) {
      AuditLog log =
          AuditLog.open(store, LogKeys.loadOrCreate(dir.resolve("audit/log.key"), "test/log"));
      AuditTrail trail = new AuditTrail(log, store, Clock.systemUTC());
      trail.jobEnded("job-x", org.fedcredit.coordinator.store.JobState.FAILED, "boom");
      trail.decisionsServed("bank", List.of(digest('d')), d -> Optional.empty());
      trail.modelPublished(
          new org.fedcredit.coordinator.store.ModelRecord(
              "job-y",
              1,
              Instant.now(),
              "{}",
              new java.util.TreeMap<>(java.util.Map.of("bank", "e".repeat(64)))));

      assertThat(log.entriesOfJob("job-x"))
          .extracting(i -> i.entry().type())
          .containsExactly("job-ended");
      assertThat(trail.modelEntry("job-y")).contains(2L);
      assertThat(trail.modelEntry("job-x")).isEmpty();
      assertThat(log.indicesOfJob("job-y", Optional.of("model-published"))).containsExactly(2L);
    }
  }

  @Test
  void theLogKeyIsCreatedOnceThenReadAndARenamedOriginIsRefused() throws Exception {
    Path key = dir.resolve("audit/log.key");
    var a = LogKeys.loadOrCreate(key, "test/log");
    var b = LogKeys.loadOrCreate(key, "test/log");
    assertThat(b.verifier().encode()).isEqualTo(a.verifier().encode());
    assertThat(java.nio.file.Files.readString(dir.resolve("audit/log.pub")).strip())
        .isEqualTo(a.verifier().encode());
    assertThat(java.nio.file.Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogKeys.loadOrCreate(key, "other/log"))
        .hasMessageContaining("named 'test/log'")
        .hasMessageContaining("set audit.origin");
  }
}
