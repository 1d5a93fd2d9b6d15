package org.fedcredit.modelzoo.lr;

import java.util.Random;

/**
 * The mini-batches every party derives identically from the shared seed: epoch {@code e} shuffles
 * the aligned row positions with {@code new Random(seed + e)} (Fisher–Yates) and cuts them into
 * consecutive batches.
 */
final class Batches {

  private Batches() {}

  static int[][] ofEpoch(int rows, int batchSize, long seed, int epoch) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    Random r = new Random(seed + epoch);
    for (int i = rows - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int count = (rows + batchSize - 1) / batchSize;
    int[][] out = new int[count][];
    for (int b = 0; b < count; b++) {
      int from = b * batchSize;
      int to = Math.min(rows, from + batchSize);
      out[b] = java.util.Arrays.copyOfRange(order, from, to);
    }
    return out;
  }
}
