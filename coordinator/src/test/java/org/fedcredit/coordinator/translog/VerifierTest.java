package org.fedcredit.coordinator.translog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and offline verification against the real embedded store, tampered with by SQL the way an
 * operator with database access could: 16 entries, checkpoints signed at sizes 4, 8, 12, 16.
 */
class VerifierTest {
  static final NoteKeys.Signer KEY =
      new NoteKeys.Signer("fedcredit.test/log", SignedCheckpointTest.seed(9));

  @TempDir Path dir;
  CoordinatorStore store;
  TransparencyLog log;

  @BeforeEach
  void fill() {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = TransparencyLog.in(store);
    for (int i = 0; i < 16; i++) {
      log.append(TransparencyLogContract.entry(i));
      if ((i + 1) % 4 == 0) {
        log.checkpoint(KEY);
      }
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Verifier.Result verifyThroughAFile() throws Exception {
    Path file = dir.resolve("export.json");
    Export.of(log, KEY.verifier()).write(file);
    return Verifier.verify(Export.read(file), KEY.verifier());
  }

  private void sql(String... statements) {
    store.inTransaction(
        "tamper",
        c -> {
          try (Statement s = c.createStatement()) {
            for (String st : statements) {
              s.execute(st);
            }
          }
          return null;
        });
  }

  @Test
  void anUntouchedLogVerifies() throws Exception {
    Verifier.Result r = verifyThroughAFile();

    assertThat(r.problem()).isEmpty();
    assertThat(r.verified()).isTrue();
    assertThat(r.leaves()).isEqualTo(16);
    assertThat(r.rootHex()).isEqualTo(MerkleTree.hex(log.root(16)));
    assertThat(log.checkpointNotes()).hasSize(4);
  }

  @Test
  void aModifiedEntryIsNamed() throws Exception {
    sql("UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 9");

    Verifier.Result r = verifyThroughAFile();

    assertThat(r.verified()).isFalse();
    assertThat(r.badIndex()).hasValue(9);
    assertThat(r.problem())
        .startsWith(
            "entry 9 was modified: its data hashes to "
                + MerkleTree.hex(MerkleTree.leafHash(new byte[] {'{', '}'})))
        .endsWith(", the signed tree has " + MerkleTree.hex(log.leafHashes(9, 10).get(0)));
  }

  @Test
  void aModifiedEntryWithItsLeafHashColumnIsStillNamed() throws Exception {
    byte[] forged = "{}".getBytes();
    sql(
        "UPDATE translog_entries SET entry = X'7b7d', leaf_hash = X'"
            + MerkleTree.hex(MerkleTree.leafHash(forged))
            + "' WHERE idx = 2");

    assertThat(verifyThroughAFile().badIndex()).hasValue(2);
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    sql("DELETE FROM translog_entries WHERE idx = 5");

    Verifier.Result r = verifyThroughAFile();

    assertThat(r.verified()).isFalse();
    assertThat(r.badIndex()).hasValue(5);
    assertThat(r.problem())
        .isEqualTo("entry 5 is missing: the export jumps from index 4 to 6 (deleted)");
  }

  @Test
  void aDeletedLastEntryIsNamed() throws Exception {
    sql("DELETE FROM translog_entries WHERE idx = 15");

    Verifier.Result r = verifyThroughAFile();

    assertThat(r.badIndex()).hasValue(15);
    assertThat(r.problem())
        .isEqualTo(
            "entry 15 is missing: the checkpoint of size 16 covers more entries than the export's"
                + " 15 (deleted from the end)");
  }

  @Test
  void reorderedEntriesAreNamed() throws Exception {
    sql(
        "UPDATE translog_entries SET idx = -1 WHERE idx = 3",
        "UPDATE translog_entries SET idx = 3 WHERE idx = 7",
        "UPDATE translog_entries SET idx = 7 WHERE idx = -1");

    Verifier.Result r = verifyThroughAFile();

    assertThat(r.verified()).isFalse();
    assertThat(r.badIndex()).hasValue(3);
    assertThat(r.problem()).isEqualTo("entry 3 holds the data signed as entry 7 (reordered)");
  }

  @Test
  void rewrittenLeafHashesAreBoundedByTheEarlierCheckpoints() throws Exception {
    byte[] forged = "{}".getBytes();
    sql(
        "UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 9",
        "UPDATE translog_nodes SET hash = X'"
            + MerkleTree.hex(MerkleTree.leafHash(forged))
            + "' WHERE lvl = 0 AND idx = 9");

    Verifier.Result r = verifyThroughAFile();

    assertThat(r.verified()).isFalse();
    assertThat(r.badIndex()).hasValue(8);
    assertThat(r.problem())
        .contains("the stored leaf hashes were rewritten as well")
        .endsWith(
            "the first changed entry is between index 8 and 11 (the last checkpoint that still"
                + " verifies is of size 8)");
  }

  @Test
  void aWrongPublicKeyFailsOnTheFirstCheckpoint() throws Exception {
    Path file = dir.resolve("export.json");
    Export.of(log, KEY.verifier()).write(file);
    NoteKeys.Verifier other =
        new NoteKeys.Signer("fedcredit.test/log", SignedCheckpointTest.seed(10)).verifier();

    Verifier.Result r = Verifier.verify(Export.read(file), other);

    assertThat(r.verified()).isFalse();
    assertThat(r.problem())
        .startsWith("checkpoint 0: the checkpoint is not signed by fedcredit.test/log+");
  }

  /** A second store with other entries, signed by the same key: the log showed two histories. */
  @Test
  void aSplitViewIsReported() throws Exception {
    SignedCheckpoint ours;
    SignedCheckpoint theirs;
    try (CoordinatorStore fork = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("fork")))) {
      TransparencyLog forked = TransparencyLog.in(fork);
      for (int i = 0; i < 16; i++) {
        forked.append(TransparencyLogContract.entry(i == 6 ? 600 : i));
      }
      theirs = forked.checkpoint(KEY);
    }
    ours = SignedCheckpoint.open(log.checkpointNotes().get(3), KEY.verifier());
    Export mine = Export.of(log, KEY.verifier());
    List<String> both = new ArrayList<>(mine.checkpoints());
    both.add(theirs.note());

    Verifier.Result r =
        Verifier.verify(
            new Export(mine.publicKey(), both, mine.entries(), mine.leafHashes()), KEY.verifier());

    assertThat(r.verified()).isFalse();
    assertThat(r.splitViews()).hasSize(1);
    assertThat(r.problem())
        .isEqualTo(
            "split view: two checkpoints of size 16 signed by fedcredit.test/log with different"
                + " roots "
                + MerkleTree.hex(ours.root())
                + " and "
                + MerkleTree.hex(theirs.root()));
    assertThat(SplitViewDetector.find(List.of(ours, ours))).isEmpty();
  }
}
