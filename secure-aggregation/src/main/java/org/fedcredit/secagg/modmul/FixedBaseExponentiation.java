package org.fedcredit.secagg.modmul;

/**
 * {@code base^x} for one fixed base and exponents of at most {@code exponentBits} bits, by a window
 * table: {@code table[i][d] = base^(d·2^(w·i))}. An exponentiation is then one product per non-zero
 * window digit (27 products for a 224-bit exponent with {@code w = 8}), no squarings.
 *
 * <p>The table is built once (≈ {@code ⌈bits/w⌉·2^w} products, 25 ms at n = 2048) and is read-only
 * afterwards, so one instance is safely shared by all threads. Memory: {@code ⌈bits/w⌉·(2^w−1)}
 * elements (3.6 MB for 224 bits, w = 8, 4096-bit modulus).
 *
 * <p>Not constant-time: the digits select table rows by index (see docs/protocols/paillier.md).
 *
 * @param <E> the kernel's element form
 */
public final class FixedBaseExponentiation<E> {

  private final ModularArithmetic<E> arithmetic;
  private final int windowBits;
  private final int exponentBits;
  private final Object[][] table;

  public FixedBaseExponentiation(
      ModularArithmetic<E> arithmetic, E base, int exponentBits, int windowBits) {
    if (windowBits < 1 || windowBits > 14) {
      throw new IllegalArgumentException("window must be 1..14 bits, was " + windowBits);
    }
    this.arithmetic = arithmetic;
    this.windowBits = windowBits;
    this.exponentBits = exponentBits;
    int windows = (exponentBits + windowBits - 1) / windowBits;
    int digits = 1 << windowBits;
    this.table = new Object[windows][digits];
    E b = base;
    for (int i = 0; i < windows; i++) {
      table[i][1] = b;
      E acc = b;
      for (int d = 2; d < digits; d++) {
        acc = arithmetic.multiply(acc, b);
        table[i][d] = acc;
      }
      b = arithmetic.multiply(acc, b); // base^(2^(w·(i+1)))
    }
  }

  /** The largest exponent length accepted, in bits. */
  public int exponentBits() {
    return exponentBits;
  }

  /** Bytes of randomness {@link #pow(byte[])} consumes for a full-length exponent. */
  public int exponentBytes() {
    return (exponentBits + 7) / 8;
  }

  /**
   * {@code base^x} where {@code x} is given as big-endian bytes of at most {@link #exponentBytes()}
   * bytes; bits above {@link #exponentBits()} are ignored.
   */
  @SuppressWarnings("unchecked")
  public E pow(byte[] x) {
    E acc = null;
    for (int window = 0; window < table.length; window++) {
      int low = window * windowBits;
      int d = digit(x, low, Math.min(windowBits, exponentBits - low));
      if (d != 0) {
        E t = (E) table[window][d];
        acc = acc == null ? t : arithmetic.multiply(acc, t);
      }
    }
    return acc == null ? arithmetic.one() : acc;
  }

  /** Bits {@code [low, low+width)} of the big-endian number {@code x}, least significant first. */
  private static int digit(byte[] x, int low, int width) {
    int v = 0;
    for (int b = 0; b < width; b++) {
      int bit = low + b;
      int index = x.length - 1 - (bit >>> 3);
      if (index < 0) {
        break;
      }
      v |= ((x[index] >>> (bit & 7)) & 1) << b;
    }
    return v;
  }
}
