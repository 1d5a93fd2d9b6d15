package org.fedcredit.modelzoo.secureboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pairwise histogram and the batched subtraction give the very ciphertexts of the per-feature
 * sums and of {@code engine.subtract} per bin (2048-bit Paillier), with missing values, bins no row
 * falls in, an odd feature count and nodes too small for pairs.
 */
class EncryptedHistogramsTest {

  static final int ROWS = 150;
  static final int[] BIN_COUNTS = {4, 3, 6, 2, 5};

  static PaillierEngine engine;
  static BinnedTable table;
  static long[] values;
  static Ciphertext[] gh;

  @BeforeAll
  static void setUp() {
    PaillierKeyPair key = PaillierKeyPair.generate(2048);
    engine = PaillierEngine.forKeyOwner(key.privateKey(), PaillierEngine.Options.defaults());
    Random r = new Random(5);
    int[][] bins = new int[ROWS][BIN_COUNTS.length];
    values = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int f = 0; f < BIN_COUNTS.length; f++) {
        int b = r.nextInt(BIN_COUNTS[f]);
        if (f == 1 && b == 2) {
          b = 0; // feature 1's bin 2 stays empty
        }
        bins[i][f] = r.nextInt(8) == 0 ? BinnedTable.MISSING : b;
      }
      values[i] = r.nextInt(1_000_000);
    }
    Arrays.fill(bins[7], BinnedTable.MISSING); // a row missing everywhere
    table = new BinnedTable(List.of("a", "b", "c", "d", "e"), BIN_COUNTS, bins);
    gh =
        engine.encrypt(
            Arrays.stream(values).mapToObj(BigInteger::valueOf).toArray(BigInteger[]::new));
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  static int[] everyThird() {
    return IntStream.range(0, ROWS).filter(i -> i % 3 == 0).toArray();
  }

  @Test
  void pairsAreUsedOnlyWhereTheCellsAreFewEnough() {
    assertThat(EncryptedHistograms.pairPaysOff(table, 0, 1, ROWS)).isTrue();
    assertThat(EncryptedHistograms.pairPaysOff(table, 2, 3, 0)).isFalse();
  }

  @Test
  void pairwiseHistogramHoldsTheSameCiphertextsAsPerFeatureSums() {
    for (int[] rows :
        new int[][] {BoostMath.allRows(ROWS), everyThird(), {7}, {7, 3}, new int[0]}) {
      Ciphertext[][] pairs = EncryptedHistograms.build(engine, table, gh, rows);
      Ciphertext[][] single = EncryptedHistograms.perFeature(engine, table, gh, rows);
      assertSameCiphertexts(pairs, single);
      assertDecryptsToSums(pairs, rows);
    }
  }

  @Test
  void emptyBinsStayEmpty() {
    Ciphertext[][] hist = EncryptedHistograms.build(engine, table, gh, BoostMath.allRows(ROWS));
    assertThat(hist[1][2]).isNull();
    assertThat(hist[0][BIN_COUNTS[0]]).as("feature 0's missing bin").isNotNull();
  }

  @Test
  void batchedSubtractionEqualsSubtractingEachBin() {
    int[] all = BoostMath.allRows(ROWS);
    Ciphertext[][] parent = EncryptedHistograms.build(engine, table, gh, all);
    for (int[] child : new int[][] {everyThird(), {7}, new int[0]}) {
      Ciphertext[][] small = EncryptedHistograms.build(engine, table, gh, child);
      Ciphertext[][] large = EncryptedHistograms.subtract(engine, parent, small);
      for (int f = 0; f < parent.length; f++) {
        for (int b = 0; b < parent[f].length; b++) {
          Ciphertext expected =
              small[f][b] == null ? parent[f][b] : engine.subtract(parent[f][b], small[f][b]);
          assertThat(large[f][b] == null).isEqualTo(expected == null);
          if (expected != null) {
            assertThat(engine.toBigInteger(large[f][b]))
                .as("feature %d bin %d", f, b)
                .isEqualTo(engine.toBigInteger(expected));
          }
        }
      }
      boolean[] inChild = new boolean[ROWS];
      for (int i : child) {
        inChild[i] = true;
      }
      int[] rest = IntStream.range(0, ROWS).filter(i -> !inChild[i]).toArray();
      assertDecryptsToSums(large, rest, true);
    }
  }

  static void assertSameCiphertexts(Ciphertext[][] actual, Ciphertext[][] expected) {
    for (int f = 0; f < expected.length; f++) {
      for (int b = 0; b < expected[f].length; b++) {
        assertThat(actual[f][b] == null)
            .as("feature %d bin %d empty", f, b)
            .isEqualTo(expected[f][b] == null);
        if (expected[f][b] != null) {
          assertThat(engine.toBigInteger(actual[f][b]))
              .as("feature %d bin %d", f, b)
              .isEqualTo(engine.toBigInteger(expected[f][b]));
        }
      }
    }
  }

  static void assertDecryptsToSums(Ciphertext[][] hist, int[] rows) {
    assertDecryptsToSums(hist, rows, false);
  }

  /**
   * With {@code zeroMeansEmpty}, a bin may hold an encrypted 0 where no row of {@code rows} falls.
   */
  static void assertDecryptsToSums(Ciphertext[][] hist, int[] rows, boolean zeroMeansEmpty) {
    for (int f = 0; f < BIN_COUNTS.length; f++) {
      long[] sums = new long[BIN_COUNTS[f] + 1];
      boolean[] hit = new boolean[sums.length];
      for (int i : rows) {
        int b = table.bins()[i][f];
        int s = b == BinnedTable.MISSING ? BIN_COUNTS[f] : b;
        sums[s] += values[i];
        hit[s] = true;
      }
      for (int s = 0; s < sums.length; s++) {
        if (hist[f][s] == null) {
          assertThat(hit[s]).as("feature %d bin %d has rows but no sum", f, s).isFalse();
        } else {
          assertThat(hit[s] || zeroMeansEmpty).as("feature %d bin %d", f, s).isTrue();
          assertThat(engine.decrypt(hist[f][s]))
              .as("feature %d bin %d", f, s)
              .isEqualTo(BigInteger.valueOf(sums[s]));
        }
      }
    }
  }
}
