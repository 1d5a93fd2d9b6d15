package org.fedcredit.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCheckTest {
  @TempDir Path dir;
  CoordinatorStore store;
  AuditLog log;

  @BeforeEach
  void fill() {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = AuditLog.open(store, AuditFixture.key());
    AuditFixture.fill(store, log);
  }

  @AfterEach
  void close() {
    store.close();
  }

  void sql(String statement) {
    store.inTransaction(
        "tamper",
        c -> {
          try (var s = c.createStatement()) {
            s.execute(statement);
          }
          return null;
        });
  }

  @Test
  void anUntouchedLogPassesAllThreeChecks() {
    LogCheck c = LogCheck.of(log);

    assertThat(c.ok()).isTrue();
    assertThat(c.items())
        .extracting(LogCheck.Item::id)
        .containsExactly("signature", "store-root", "entries");
    assertThat(c.unsigned()).isZero();
  }

  @Test
  void aRewrittenSubtreeHashFailsTheStoreRootCheckOnly() {
    sql("UPDATE translog_nodes SET hash = X'" + "00".repeat(32) + "' WHERE lvl = 3 AND idx = 0");

    LogCheck c = LogCheck.of(log);

    assertThat(c.ok()).isFalse();
    assertThat(c.items()).extracting(LogCheck.Item::ok).containsExactly(true, false, true);
    assertThat(c.items().get(1).detail()).endsWith(": translog_nodes was changed");
  }

  @Test
  void aModifiedEntryFailsTheEntriesCheckNamingIt() {
    sql("UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 9");

    LogCheck c = LogCheck.of(log);

    assertThat(c.items().get(2).ok()).isFalse();
    assertThat(c.items().get(2).detail())
        .startsWith("entry 9 was modified")
        .endsWith("(first bad index: 9)");
  }

  @Test
  void entriesAfterTheLatestCheckpointAreCountedAsUnsigned() {
    log.append(AuditEntry.ofJob("job-ended", AuditFixture.OK, AuditFixture.T0, java.util.Map.of()));

    LogCheck c = LogCheck.of(log);

    assertThat(c.ok()).isTrue();
    assertThat(c.unsigned()).isEqualTo(1);
  }
}
