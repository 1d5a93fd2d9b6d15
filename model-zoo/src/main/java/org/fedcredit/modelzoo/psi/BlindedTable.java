package org.fedcredit.modelzoo.psi;

import java.util.Arrays;

/**
 * An open-addressing set of 32-byte values stored back to back in one array, answering "at which
 * position is this value?". About 32 + 8 bytes per value and no object per value, so a million
 * blinded ids take ~40 MB.
 */
final class BlindedTable {

  private static final int W = BlindingKey.POINT_BYTES;

  private final byte[] values;
  private final int[] slots; // position + 1, 0 = empty
  private final int mask;

  /**
   * @throws PsiException if a value occurs twice: distinct ids never blind to the same value
   */
  BlindedTable(byte[] values, String description) {
    this.values = values;
    int n = values.length / W;
    int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    this.slots = new int[capacity];
    this.mask = capacity - 1;
    for (int p = 0; p < n; p++) {
      int s = slot(values, p * W);
      while (slots[s] != 0) {
        if (equal(values, p * W, slots[s] - 1)) {
          throw new PsiException(
              description
                  + " contains the same blinded value twice (positions "
                  + (slots[s] - 1)
                  + " and "
                  + p
                  + "); its party's input had duplicate ids");
        }
        s = (s + 1) & mask;
      }
      slots[s] = p + 1;
    }
  }

  /** The position of the value at {@code probe[off..off+32)}, or -1. */
  int find(byte[] probe, int off) {
    int s = slot(probe, off);
    while (slots[s] != 0) {
      if (equal(probe, off, slots[s] - 1)) {
        return slots[s] - 1;
      }
      s = (s + 1) & mask;
    }
    return -1;
  }

  private boolean equal(byte[] b, int off, int position) {
    return Arrays.equals(b, off, off + W, values, position * W, position * W + W);
  }

  private int slot(byte[] b, int off) {
    // Blinded values are uniform; mixing still guards the table against structured input.
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (b[off + i] & 0xff);
    }
    h *= 0x9E3779B97F4A7C15L;
    return (int) (h >>> 33) & mask;
  }
}
