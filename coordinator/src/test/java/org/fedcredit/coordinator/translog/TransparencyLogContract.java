package org.fedcredit.coordinator.translog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of the stored transparency log; each database gets a subclass. */
abstract class TransparencyLogContract {
  protected abstract StoreConfig emptyDatabase();

  /** How many sizes the every-size comparison covers on this database. */
  protected abstract int everySizeUpTo();

  protected StoreConfig config;
  protected CoordinatorStore store;
  protected TransparencyLog log;

  @BeforeEach
  void open() {
    config = emptyDatabase();
    store = CoordinatorStore.open(config);
    log = TransparencyLog.in(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] entry(long i) {
    return ("{\"kind\":\"test\",\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void cosignaturesAreKeptOncePerWitnessAndSizeAndReadBackAsStored() throws Exception {
    NoteKeys.Signer key = VerifierTest.KEY;
    log.append(entry(0));
    SignedCheckpoint one = log.checkpoint(key);
    log.append(entry(1));
    SignedCheckpoint two = log.checkpoint(key);
    byte[] cert = {1, 2, 3};
    Cosignature bankOne = new Cosignature("bank", cert, one.body(), 10, new byte[] {4, 5});
    Cosignature bankTwo = new Cosignature("bank", cert, two.body(), 20, new byte[] {6});
    Cosignature taxOne = new Cosignature("tax-bureau", cert, one.body(), 11, new byte[] {7});
    Cosignatures c = Cosignatures.in(store);

    assertThat(c.record(bankOne)).isTrue();
    assertThat(c.record(taxOne)).isTrue();
    assertThat(c.record(bankTwo)).isTrue();
    assertThat(c.record(new Cosignature("bank", cert, one.body(), 30, new byte[] {8}))).isFalse();

    assertThat(c.all()).containsExactly(bankOne, taxOne, bankTwo);
    assertThat(c.latestOf("bank")).contains(bankTwo);
    assertThat(c.latestOf("tax-bureau")).contains(taxOne);
    assertThat(c.latestOf("utility")).isEmpty();
  }

  @Test
  void anEmptyLogHasSizeZeroAndTheEmptyRoot() {
    assertThat(log.size()).isZero();
    assertThat(log.root(0)).isEqualTo(NaiveTree.mth(List.of()));
  }

  @Test
  void appendsGetConsecutiveIndicesAndEntriesReadBackUnchanged() {
    assertThat(log.append(entry(0))).isZero();
    assertThat(log.append(entry(1))).isEqualTo(1);
    assertThat(log.appendAll(List.of(entry(2), entry(3), entry(4)))).isEqualTo(2);
    assertThat(log.appendAll(List.of())).isEqualTo(5);

    assertThat(log.size()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(log.entry(i)).isEqualTo(entry(i));
    }
    assertThat(log.leafHashes(0, 5)).hasSize(5).first().isEqualTo(MerkleTree.leafHash(entry(0)));
  }

  /** The stored root against the naive RFC recursion at every size, batches of random length. */
  @Test
  void theStoredRootMatchesTheNaiveTreeAtEverySize() {
    int max = everySizeUpTo();
    Random random = new Random(7);
    List<byte[]> all = new ArrayList<>();
    while (all.size() < max) {
      int batch = Math.min(1 + random.nextInt(5), max - all.size());
      List<byte[]> entries = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        entries.add(entry(all.size() + i));
      }
      log.appendAll(entries);
      all.addAll(entries);
    }
    for (int n = 1; n <= max; n++) {
      assertThat(log.root(n)).as("root of size %d", n).isEqualTo(NaiveTree.mth(all.subList(0, n)));
    }
  }

  @Test
  void proofsVerifyMatchTheNaiveTreeAndReadOLogNRows() throws Exception {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(entry(i));
    }
    log.appendAll(all);
    byte[] root = log.root(300);

    for (long index : new long[] {0, 1, 150, 255, 256, 299}) {
      long before = log.nodeReads();
      List<byte[]> path = log.inclusionProof(index, 300);
      // ceil(log2 300) = 9 levels; each proof hash is one complete node or a right-edge fold of
      // at most popcount(300) = 4 nodes.
      assertThat(log.nodeReads() - before)
          .as("rows read for leaf %d", index)
          .isLessThanOrEqualTo(12);
      assertThat(path).containsExactlyElementsOf(NaiveTree.path((int) index, all));
      MerkleTree.verifyInclusion(index, 300, MerkleTree.leafHash(all.get((int) index)), path, root);
    }
    for (long m : new long[] {1, 7, 64, 100, 299, 300}) {
      List<byte[]> proof = log.consistencyProof(m, 300);
      assertThat(proof).containsExactlyElementsOf(NaiveTree.proof((int) m, all));
      MerkleTree.verifyConsistency(m, 300, log.root(m), root, proof);
    }
  }

  @Test
  void reopeningTheStoreContinuesTheSameTree() {
    log.appendAll(List.of(entry(0), entry(1), entry(2)));
    store.close();
    store = CoordinatorStore.open(config);
    log = TransparencyLog.in(store);

    log.append(entry(3));
    log.append(entry(4));

    assertThat(log.root(5))
        .isEqualTo(NaiveTree.mth(List.of(entry(0), entry(1), entry(2), entry(3), entry(4))));
  }

  /** Two log objects over one database stand for two coordinator processes. */
  @Test
  void twoWritersInterleavingKeepOneTree() {
    TransparencyLog other = TransparencyLog.in(store);
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      (i % 3 == 0 ? other : log).append(entry(i));
      all.add(entry(i));
    }
    assertThat(log.root(20)).isEqualTo(NaiveTree.mth(all));
    assertThat(other.root(20)).isEqualTo(NaiveTree.mth(all));
  }

  @Test
  void requestsOutsideTheLogSayWhatExists() {
    log.appendAll(List.of(entry(0), entry(1)));

    assertThatThrownBy(() -> log.root(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree size 3 is not between 0 and the transparency log's size 2");
    assertThatThrownBy(() -> log.entry(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the transparency log has no entry 2; it holds entries 0 to 1");
    assertThatThrownBy(() -> log.inclusionProof(2, 2))
        .hasMessage("leaf index 2 is not in a tree of size 2; use 0 to 1");
    assertThatThrownBy(() -> log.append(new byte[TransparencyLog.MAX_ENTRY_BYTES + 1]))
        .hasMessage(
            "entry 0 of the batch is 1048577 bytes; the transparency log takes at most 1048576"
                + " bytes per entry; log a hash of large content instead");
    assertThat(log.size()).isEqualTo(2);
  }

  @Test
  void rowsDeletedBehindTheLogsBackAreReportedByIndex() {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(entry(i));
    }
    log.appendAll(all);
    store.inTransaction(
        "tamper",
        c -> {
          try (java.sql.Statement s = c.createStatement()) {
            s.execute("DELETE FROM translog_nodes WHERE lvl = 2 AND idx = 1");
            s.execute("DELETE FROM translog_entries WHERE idx = 3");
          }
          return null;
        });

    assertThatThrownBy(() -> log.inclusionProof(0, 8))
        .isInstanceOf(TamperedLogException.class)
        .hasMessage(
            "the hash of leaves 4 to 7 (level 2 node 1) is missing from translog_nodes; rows were"
                + " deleted behind the log's back")
        .extracting(e -> ((TamperedLogException) e).index())
        .isEqualTo(4L);
    assertThatThrownBy(() -> log.entry(3))
        .isInstanceOf(TamperedLogException.class)
        .hasMessage("entry 3 is missing from translog_entries; it was deleted");
  }

  /** Two log objects appending at once from two threads, as two coordinator processes would. */
  @Test
  void concurrentWritersGetGapFreeIndicesAndOneTree() throws Exception {
    TransparencyLog other = TransparencyLog.in(store);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<List<Long>>> results = new ArrayList<>();
      for (TransparencyLog writer : List.of(log, other)) {
        results.add(
            pool.submit(
                () -> {
                  List<Long> indices = new ArrayList<>();
                  for (int i = 0; i < 40; i++) {
                    indices.add(
                        i % 2 == 0
                            ? writer.append(entry(i))
                            : writer.appendAll(List.of(entry(i), entry(i))));
                  }
                  return indices;
                }));
      }
      for (java.util.concurrent.Future<List<Long>> r : results) {
        r.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(log.size()).isEqualTo(2 * (20 + 2 * 20));
    List<byte[]> stored = new ArrayList<>();
    List<Long> indices = new ArrayList<>();
    log.forEachEntry(
        0,
        Long.MAX_VALUE,
        (i, e) -> {
          indices.add(i);
          stored.add(e);
        });
    assertThat(indices)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 120).boxed().toList());
    assertThat(log.root(120)).isEqualTo(NaiveTree.mth(stored));
    assertThat(other.root(120)).isEqualTo(NaiveTree.mth(stored));
  }
}
