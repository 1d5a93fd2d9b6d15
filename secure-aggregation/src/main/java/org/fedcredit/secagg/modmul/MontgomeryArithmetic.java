package org.fedcredit.secagg.modmul;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Montgomery arithmetic on {@code int[]} magnitudes (big-endian, {@code len} words, {@code len}
 * even), using the JDK's own {@code BigInteger.montgomeryMultiply}/{@code montgomerySquare}, which
 * HotSpot replaces by a hand-written assembly intrinsic on x86-64 and AArch64.
 *
 * <p>An element {@code a} holds {@code a·R mod m} with {@code R = 2^(32·len)}, always fully reduced
 * into {@code [0, m)} (the intrinsic may return values in {@code [m, 2m)}; we subtract once).
 * Arrays returned are fresh and never mutated afterwards.
 */
final class MontgomeryArithmetic implements ModularArithmetic<int[]> {

  private final BigInteger m;
  private final int[] mod;
  private final int len;
  private final long inv;
  private final int[] rSquared;
  private final int[] one;
  private final int[] plainOne;
  private final BigInteger r;

  /** Static final so that the JIT treats the handles as constants and inlines the call. */
  private static final MethodHandle MUL;

  private static final MethodHandle SQR;

  /** Empty when the kernel is usable, else why not. */
  static final String UNAVAILABLE_REASON;

  static {
    MethodHandle mul = null;
    MethodHandle sqr = null;
    String reason = "";
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(BigInteger.class, MethodHandles.lookup());
      mul =
          lookup.findStatic(
              BigInteger.class,
              "montgomeryMultiply",
              MethodType.methodType(
                  int[].class,
                  int[].class,
                  int[].class,
                  int[].class,
                  int.class,
                  long.class,
                  int[].class));
      sqr =
          lookup.findStatic(
              BigInteger.class,
              "montgomerySquare",
              MethodType.methodType(
                  int[].class, int[].class, int[].class, int.class, long.class, int[].class));
    } catch (IllegalAccessException | NoSuchMethodException | RuntimeException e) {
      mul = null;
      sqr = null;
      reason = "java.math.BigInteger's Montgomery methods are not reachable (" + e + ")";
    }
    MUL = mul;
    SQR = sqr;
    UNAVAILABLE_REASON = reason;
  }

  static boolean available() {
    return MUL != null;
  }

  MontgomeryArithmetic(BigInteger m) {
    if (!available()) {
      throw new IllegalStateException(
          "the Montgomery kernel needs the JVM option --add-opens java.base/java.math=ALL-UNNAMED: "
              + UNAVAILABLE_REASON);
    }
    if (m.signum() <= 0 || !m.testBit(0) || m.bitLength() < 64) {
      throw new IllegalArgumentException("modulus must be odd, positive and at least 64 bits");
    }
    this.m = m;
    int words = (m.bitLength() + 31) / 32;
    this.len = words + (words & 1); // the intrinsic wants an even length
    this.mod = toWords(m, len);
    long n0 = (mod[len - 1] & 0xffffffffL) | ((long) mod[len - 2] << 32);
    this.inv = -inverseMod64(n0);
    this.r = BigInteger.ONE.shiftLeft(32 * len).mod(m);
    this.rSquared = toWords(r.multiply(r).mod(m), len);
    this.one = toWords(r, len);
    this.plainOne = toWords(BigInteger.ONE, len);
  }

  /** n⁻¹ mod 2⁶⁴ for odd n by Newton iteration (each step doubles the correct bits). */
  static long inverseMod64(long n) {
    long x = n; // correct to 3 bits for odd n
    for (int i = 0; i < 5; i++) {
      x *= 2 - n * x;
    }
    return x;
  }

  static int[] toWords(BigInteger x, int len) {
    byte[] bytes = x.toByteArray();
    int[] words = new int[len];
    int w = len - 1;
    int shift = 0;
    for (int i = bytes.length - 1; i >= 0 && w >= 0; i--) {
      words[w] |= (bytes[i] & 0xff) << shift;
      shift += 8;
      if (shift == 32) {
        shift = 0;
        w--;
      }
    }
    return words;
  }

  static BigInteger fromWords(int[] words) {
    byte[] bytes = new byte[words.length * 4];
    for (int i = 0; i < words.length; i++) {
      int v = words[i];
      bytes[4 * i] = (byte) (v >>> 24);
      bytes[4 * i + 1] = (byte) (v >>> 16);
      bytes[4 * i + 2] = (byte) (v >>> 8);
      bytes[4 * i + 3] = (byte) v;
    }
    return new BigInteger(1, bytes);
  }

  private int[] canonical(int[] product) {
    int[] result = product.length == len ? product : Arrays.copyOf(product, len);
    if (compareToModulus(result) >= 0) {
      subtractModulus(result);
    }
    return result;
  }

  private int compareToModulus(int[] a) {
    for (int i = 0; i < len; i++) {
      int x = a[i] + Integer.MIN_VALUE;
      int y = mod[i] + Integer.MIN_VALUE;
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return 0;
  }

  private void subtractModulus(int[] a) {
    long borrow = 0;
    for (int i = len - 1; i >= 0; i--) {
      long d = (a[i] & 0xffffffffL) - (mod[i] & 0xffffffffL) + borrow;
      a[i] = (int) d;
      borrow = d >> 32;
    }
  }

  private int[] check(int[] a) {
    if (a.length != len) {
      throw new IllegalArgumentException(
          "element has " + a.length + " words, this modulus uses " + len);
    }
    return a;
  }

  @Override
  public BigInteger modulus() {
    return m;
  }

  @Override
  public int[] fromBigInteger(BigInteger x) {
    return multiply(load(x), rSquared);
  }

  @Override
  public BigInteger toBigInteger(int[] x) {
    return fromWords(multiply(x, plainOne));
  }

  @Override
  public int[] load(BigInteger x) {
    if (x.signum() < 0 || x.compareTo(m) >= 0) {
      throw new IllegalArgumentException("value out of range [0, modulus)");
    }
    return toWords(x, len);
  }

  @Override
  public BigInteger unload(int[] x) {
    return fromWords(x);
  }

  /** Two products: {@code (a·b·R⁻¹)·R²·R⁻¹}. */
  @Override
  public BigInteger multiplyPlain(BigInteger a, BigInteger b) {
    return fromWords(multiply(multiply(load(a), load(b)), rSquared));
  }

  /**
   * {@code x = xH·R + xL} with {@code xH < m} (as {@code x < m² ≤ m·R}): {@code xH·R mod m} is one
   * product with {@code R²}, and {@code xL < R} needs at most a few subtractions.
   */
  @Override
  public BigInteger reduce(BigInteger x) {
    if (x.signum() < 0 || x.compareTo(m.multiply(m)) >= 0) {
      return x.mod(m);
    }
    int bits = 32 * len;
    BigInteger high = x.shiftRight(bits);
    BigInteger low = x.subtract(high.shiftLeft(bits));
    BigInteger r =
        fromWords(multiply(load(high), rSquared)).add(low.compareTo(m) >= 0 ? low.mod(m) : low);
    return r.compareTo(m) >= 0 ? r.subtract(m) : r;
  }

  @Override
  public BigInteger domainFactor() {
    return r;
  }

  @Override
  public int[] one() {
    return one;
  }

  @Override
  public int[] multiply(int[] a, int[] b) {
    check(a);
    check(b);
    try {
      return canonical((int[]) MUL.invokeExact(a, b, mod, len, inv, (int[]) null));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("Montgomery multiply failed", t);
    }
  }

  @Override
  public int[] square(int[] a) {
    check(a);
    try {
      return canonical((int[]) SQR.invokeExact(a, mod, len, inv, (int[]) null));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("Montgomery square failed", t);
    }
  }
}
