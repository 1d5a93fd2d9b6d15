package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Arrays;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  static final NoteKeys.Signer KEY = new NoteKeys.Signer("fedcredit.test/log", seed());

  @TempDir Path dir;
  CoordinatorStore store;
  TransparencyLog log;
  Path export;
  Path key;

  static byte[] seed() {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) 5);
    return s;
  }

  @BeforeEach
  void fill() throws Exception {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = TransparencyLog.in(store);
    for (int i = 0; i < 10; i++) {
      log.append(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    log.checkpoint(KEY);
    export = dir.resolve("export.json");
    key = Files.writeString(dir.resolve("log.vkey"), KEY.verifier().encode() + "\n");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void verifyPrintsLeavesRootAndVerified() throws Exception {
    Export.of(log, KEY.verifier()).write(export);

    CliHarness.Run run =
        CliHarness.run(
            "audit", "verify", "--export", export.toString(), "--public-key", key.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "leaves: 10\nroot: "
                + MerkleTree.hex(log.root(10))
                + "\nwitnesses of the latest checkpoint: 0\nverified\n10 entries are not"
                + " fedcredit-audit/1 entries (first: entry 0: entry format is null, this reader"
                + " knows fedcredit-audit/1)\n");
  }

  @Test
  void verifyOfATamperedLogNamesTheIndexAndExitsOne() throws Exception {
    store.inTransaction(
        "tamper",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 6");
          }
          return null;
        });
    Export.of(log, KEY.verifier()).write(export);

    CliHarness.Run run =
        CliHarness.run(
            "audit", "verify", "--export", export.toString(), "--public-key", key.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("NOT verified: entry 6 was modified: its data hashes to ")
        .endsWith("first bad index: 6\n");
  }

  @Test
  void proofPrintsTheAuditPathOfTheLeaf() throws Exception {
    Export.of(log, KEY.verifier()).write(export);

    CliHarness.Run run =
        CliHarness.run(
            "audit",
            "proof",
            "--export",
            export.toString(),
            "--leaf",
            "3",
            "--public-key",
            key.toString());

    assertThat(run.exit()).isZero();
    StringBuilder path = new StringBuilder();
    log.inclusionProof(3, 10)
        .forEach(h -> path.append("  ").append(MerkleTree.hex(h)).append('\n'));
    assertThat(run.out())
        .contains("leaf: 3\ntree size: 10\n")
        .contains("root: " + MerkleTree.hex(log.root(10)) + "\nproof:\n" + path)
        .endsWith("verified against the signed checkpoint of size 10\n");
  }

  @Test
  void aMissingExportIsBadInput() {
    CliHarness.Run run =
        CliHarness.run(
            "audit",
            "verify",
            "--export",
            dir.resolve("nope.json").toString(),
            "--public-key",
            key.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("export file " + dir.resolve("nope.json") + " does not exist");
  }
}
