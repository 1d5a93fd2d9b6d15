package org.fedcredit.modelzoo.secureboost;

import java.util.stream.IntStream;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.HomomorphicEngine;

/**
 * A feature party's encrypted histograms: for every feature and bin (missing last) the homomorphic
 * sum {@code ⊕} of the encrypted packed {@code (g, h, 1)} of the rows that fall in it, {@code null}
 * where no row falls.
 *
 * <p>Why pairs. An addition of ciphertexts is one product mod n² (4,096 bits at a 2048-bit key),
 * and summing one feature costs one per row. {@link #build} sums two features {@code (f₁, f₂)} at
 * once into the joint cells {@code (b₁, b₂)} — one product per row — and then adds up the non-empty
 * cells into {@code f₁}'s and {@code f₂}'s bins. Counting the first ciphertext into an empty sum as
 * a copy, a pair costs {@code rows + cells − bins} products against {@code 2·rows − bins} for the
 * two features alone, where {@code cells ≤ rows} are the non-empty joint cells: never more, and
 * about half when rows far outnumber the {@code (B₁+1)(B₂+1)} possible cells. Products mod n² are
 * associative and commutative and every value is a canonical residue, so the histogram holds the
 * same ciphertexts, bit for bit, as summing each feature in row order ({@link #perFeature}).
 *
 * <p>Work is spread over the common fork-join pool (one task per feature pair).
 */
final class EncryptedHistograms {

  /**
   * Pairs scan all {@code (B₁+1)(B₂+1)} joint cells once; below this many cells per row that scan
   * costs more than the products it saves (an empty slot costs nanoseconds, a product
   * microseconds).
   */
  static final int MAX_CELLS_PER_ROW = 64;

  private EncryptedHistograms() {}

  /** The histogram of {@code rows}, summed over feature pairs where that needs fewer products. */
  static Ciphertext[][] build(
      HomomorphicEngine engine, BinnedTable table, Ciphertext[] gh, int[] rows) {
    Ciphertext[][] hist = empty(table);
    int features = table.features();
    IntStream.range(0, (features + 1) / 2)
        .parallel()
        .forEach(
            p -> {
              int f1 = 2 * p;
              int f2 = f1 + 1;
              if (f2 < features && pairPaysOff(table, f1, f2, rows.length)) {
                pair(engine, table, gh, rows, f1, f2, hist[f1], hist[f2]);
              } else {
                single(engine, table, gh, rows, f1, hist[f1]);
                if (f2 < features) {
                  single(engine, table, gh, rows, f2, hist[f2]);
                }
              }
            });
    return hist;
  }

  /** The reference: each feature summed on its own, in row order (one product per row). */
  static Ciphertext[][] perFeature(
      HomomorphicEngine engine, BinnedTable table, Ciphertext[] gh, int[] rows) {
    Ciphertext[][] hist = empty(table);
    IntStream.range(0, table.features())
        .parallel()
        .forEach(f -> single(engine, table, gh, rows, f, hist[f]));
    return hist;
  }

  static boolean pairPaysOff(BinnedTable table, int f1, int f2, int rows) {
    long cells = (long) (table.binCounts()[f1] + 1) * (table.binCounts()[f2] + 1);
    return cells <= (long) MAX_CELLS_PER_ROW * rows;
  }

  /**
   * {@code parent − child} per feature and bin, for a child whose rows are a subset of the
   * parent's. Each {@code [[−c]]} is an inversion mod n² (≈ 170 products); Montgomery's trick
   * inverts one product per feature and recovers every bin's inverse with three products, so the
   * result is the same ciphertexts as {@code engine.subtract} per bin.
   */
  static Ciphertext[][] subtract(
      HomomorphicEngine engine, Ciphertext[][] parent, Ciphertext[][] child) {
    Ciphertext[][] out = new Ciphertext[parent.length][];
    IntStream.range(0, parent.length)
        .parallel()
        .forEach(f -> out[f] = subtract(engine, parent[f], child[f]));
    return out;
  }

  private static Ciphertext[] subtract(
      HomomorphicEngine engine, Ciphertext[] parent, Ciphertext[] child) {
    Ciphertext[] out = parent.clone();
    int[] present = new int[child.length];
    Ciphertext[] prefix = new Ciphertext[child.length]; // prefix[k] = child[present[0..k]] summed
    int k = 0;
    for (int b = 0; b < child.length; b++) {
      if (child[b] != null) {
        present[k] = b;
        prefix[k] = k == 0 ? child[b] : engine.add(prefix[k - 1], child[b]);
        k++;
      }
    }
    if (k == 0) {
      return out;
    }
    Ciphertext inverse = engine.negate(prefix[k - 1]); // [[−(c₀ + … + c_{k−1})]]
    for (int j = k - 1; j >= 0; j--) {
      int b = present[j];
      Ciphertext negChild = j == 0 ? inverse : engine.add(inverse, prefix[j - 1]);
      if (j > 0) {
        inverse = engine.add(inverse, child[b]);
      }
      out[b] = engine.add(parent[b], negChild);
    }
    return out;
  }

  private static Ciphertext[][] empty(BinnedTable table) {
    Ciphertext[][] hist = new Ciphertext[table.features()][];
    for (int f = 0; f < table.features(); f++) {
      hist[f] = new Ciphertext[table.binCounts()[f] + 1];
    }
    return hist;
  }

  private static int slot(int bin, int missing) {
    return bin == BinnedTable.MISSING ? missing : bin;
  }

  private static void single(
      HomomorphicEngine engine,
      BinnedTable table,
      Ciphertext[] gh,
      int[] rows,
      int f,
      Ciphertext[] h) {
    int[][] bins = table.bins();
    int missing = table.binCounts()[f];
    for (int i : rows) {
      int s = slot(bins[i][f], missing);
      h[s] = plus(engine, h[s], gh[i]);
    }
  }

  private static void pair(
      HomomorphicEngine engine,
      BinnedTable table,
      Ciphertext[] gh,
      int[] rows,
      int f1,
      int f2,
      Ciphertext[] h1,
      Ciphertext[] h2) {
    int[][] bins = table.bins();
    int missing1 = table.binCounts()[f1];
    int missing2 = table.binCounts()[f2];
    int width = missing2 + 1;
    Ciphertext[] cells = new Ciphertext[(missing1 + 1) * width];
    for (int i : rows) {
      int[] row = bins[i];
      int c = slot(row[f1], missing1) * width + slot(row[f2], missing2);
      cells[c] = plus(engine, cells[c], gh[i]);
    }
    for (int s1 = 0; s1 <= missing1; s1++) {
      for (int s2 = 0; s2 < width; s2++) {
        Ciphertext cell = cells[s1 * width + s2];
        if (cell != null) {
          h1[s1] = plus(engine, h1[s1], cell);
          h2[s2] = plus(engine, h2[s2], cell);
        }
      }
    }
  }

  private static Ciphertext plus(HomomorphicEngine engine, Ciphertext a, Ciphertext b) {
    return a == null ? b : engine.add(a, b);
  }
}
