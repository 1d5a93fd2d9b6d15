package org.fedcredit.secagg.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Maps signed real numbers to the Paillier plaintext space Z_n and back, with one fixed-point scale
 * for a whole tensor (DESIGN.md §2 rule 5: never a per-value exponent in clear).
 *
 * <h2>Encoding</h2>
 *
 * A value {@code v} becomes the integer {@code x = round(v · 2^scaleBits)}, stored as {@code x}
 * when {@code x ≥ 0} and as {@code n + x} when {@code x < 0}. Rounding is <em>half away from
 * zero</em> ({@link RoundingMode#HALF_UP}) and is applied to the exact real product of the double
 * and the power of two, for every finite double, so {@code decode(encode(v))} is within {@code
 * 2^-(scaleBits+1)} of {@code v}.
 *
 * <h2>Decoding and overflow detection</h2>
 *
 * Let {@code maxInt = floor((n − 1) / 3)} (equal to {@code floor(n / 3)} for every Paillier
 * modulus, since 3 never divides it; the −1 keeps the guarantee below for test moduli divisible by
 * 3). Residues in {@code [0, maxInt]} decode as positive, residues in {@code [n − maxInt, n)} as
 * negative, and anything in between throws {@link EncodingOverflowException}. {@link
 * #encode(double)} refuses values with {@code |x| > maxInt}, so the sum of two encoded values never
 * wraps silently: it either decodes correctly or lands in the middle third and is reported. Sums of
 * more terms are only safe if the caller bounds them: {@code k} summands of magnitude at most
 * {@code maxInt / k} each are always exact. A wrap by a full {@code n} cannot be detected by any
 * encoding, which is why callers must size the scale and the number of summands (see {@link
 * PackingScheme#forBounds}).
 *
 * <h2>Scales after homomorphic operations</h2>
 *
 * Adding two encodings keeps the scale. Multiplying an encoding at scale {@code a} by one at scale
 * {@code b} (ciphertext × plaintext in Paillier, i.e. {@code x·y mod n}) yields scale {@code a +
 * b}: decode such a product with {@link #decode(BigInteger, int)} or with the encoder returned by
 * {@link #withScaleBits(int)}. Multiplying by a plain integer {@code k} (encoded at scale 0) keeps
 * the scale.
 *
 * <h2>Defaults and limits</h2>
 *
 * There are no hidden defaults: the caller chooses {@code scaleBits}. The constructor accepts any
 * odd modulus {@code n ≥ 3} (Paillier moduli are odd; tests may use small random odd numbers) and
 * any {@code 0 ≤ scaleBits} with {@code 2^scaleBits ≤ maxInt}, so that at least {@code ±1.0} is
 * encodable. Decoding to {@code double} rounds to nearest (ties to even); {@link
 * #decodeSigned(BigInteger)} gives the exact integer. Instances are immutable and thread-safe.
 */
public final class FixedPointEncoder {
  private static final BigInteger THREE = BigInteger.valueOf(3);
  private static final BigInteger FIVE = BigInteger.valueOf(5);

  private final BigInteger n;
  private final int scaleBits;
  private final BigInteger maxInt;
  private final BigInteger negativeFloor;

  /**
   * @param n the Paillier modulus (odd, at least 3; 2048 bits or more in production)
   * @param scaleBits the fixed-point scale: values are multiplied by {@code 2^scaleBits}
   * @throws IllegalArgumentException if {@code n} is not an odd number ≥ 3, {@code scaleBits} is
   *     negative, or {@code 2^scaleBits > maxInt} (not even {@code 1.0} would fit)
   */
  public FixedPointEncoder(BigInteger n, int scaleBits) {
    this.n = requireModulus(n);
    requireScale(scaleBits);
    this.scaleBits = scaleBits;
    // floor((n−1)/3) equals floor(n/3) for every Paillier modulus; it differs only when 3 | n,
    // where floor(n/3) would let maxInt + maxInt wrap exactly onto −maxInt undetected.
    this.maxInt = n.subtract(BigInteger.ONE).divide(THREE);
    this.negativeFloor = n.subtract(maxInt);
    if (maxInt.bitLength() <= scaleBits) {
      throw new IllegalArgumentException(
          String.format(
              "scaleBits = %d is too large for a %d-bit modulus: not even 1.0 fits below n/3;"
                  + " use scaleBits ≤ %d or a larger key",
              scaleBits, n.bitLength(), maxInt.bitLength() - 1));
    }
  }

  /** The plaintext modulus. */
  public BigInteger n() {
    return n;
  }

  /** The fixed-point scale: an encoded integer {@code x} stands for {@code x / 2^scaleBits}. */
  public int scaleBits() {
    return scaleBits;
  }

  /**
   * The largest magnitude of a signed integer that encodes or decodes: {@code floor((n − 1) / 3)},
   * which is {@code floor(n / 3)} unless 3 divides {@code n}.
   */
  public BigInteger maxInt() {
    return maxInt;
  }

  /**
   * The same modulus with another scale, e.g. {@code withScaleBits(2 * scaleBits())} to decode the
   * product of two encodings.
   */
  public FixedPointEncoder withScaleBits(int newScaleBits) {
    return new FixedPointEncoder(n, newScaleBits);
  }

  /**
   * Encodes {@code round(v · 2^scaleBits)} (half away from zero) into Z_n.
   *
   * @throws IllegalArgumentException if {@code v} is NaN or infinite, or if {@code |v ·
   *     2^scaleBits|} exceeds {@code maxInt()}
   */
  public BigInteger encode(double v) {
    return encodeAt(v, -1);
  }

  /**
   * Encodes every value with {@link #encode(double)}; the messages of rejected values name the
   * index.
   */
  public BigInteger[] encode(double[] values) {
    BigInteger[] out = new BigInteger[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = encodeAt(values[i], i);
    }
    return out;
  }

  /**
   * Encodes the integer {@code v} at this encoder's scale, i.e. {@code v · 2^scaleBits}, exactly
   * (no rounding, also for longs beyond 2^53). To encode a raw integer multiplier use {@code
   * withScaleBits(0).encode(k)}.
   *
   * @throws IllegalArgumentException if {@code |v · 2^scaleBits|} exceeds {@code maxInt()}
   */
  public BigInteger encode(long v) {
    BigInteger fixed = BigInteger.valueOf(v).shiftLeft(scaleBits);
    if (fixed.abs().compareTo(maxInt) > 0) {
      throw new IllegalArgumentException(
          String.format(
              "cannot encode %d: %d · 2^%d exceeds n/3 of the %d-bit modulus;"
                  + " use a smaller scale or a larger key",
              v, v, scaleBits, n.bitLength()));
    }
    return toResidue(fixed);
  }

  /**
   * The exact signed fixed-point integer represented by the residue {@code x} (not divided by the
   * scale).
   *
   * @throws IllegalArgumentException if {@code x} is not in {@code [0, n)}
   * @throws EncodingOverflowException if {@code x} lies in {@code (maxInt, n − maxInt)}
   */
  public BigInteger decodeSigned(BigInteger x) {
    return decodeSignedAt(x, -1);
  }

  /**
   * Decodes a residue encoded at this encoder's scale.
   *
   * @throws IllegalArgumentException if {@code x} is not in {@code [0, n)}
   * @throws EncodingOverflowException if {@code x} lies in {@code (maxInt, n − maxInt)}
   * @throws ArithmeticException if the value is beyond the range of {@code double}
   */
  public double decode(BigInteger x) {
    return decode(x, scaleBits);
  }

  /**
   * Decodes a residue whose scale is {@code scaleBits} rather than this encoder's scale, e.g.
   * {@code 2 * scaleBits()} after multiplying two encodings.
   *
   * @throws IllegalArgumentException if {@code x} is not in {@code [0, n)} or {@code scaleBits < 0}
   * @throws EncodingOverflowException if {@code x} lies in {@code (maxInt, n − maxInt)}
   * @throws ArithmeticException if the value is beyond the range of {@code double}
   */
  public double decode(BigInteger x, int scaleBits) {
    requireScale(scaleBits);
    return toDouble(decodeSignedAt(x, -1), scaleBits);
  }

  /**
   * Decodes every residue with {@link #decode(BigInteger)}; an overflow names the index.
   *
   * @throws EncodingOverflowException whose {@link EncodingOverflowException#index()} is the first
   *     overflowed position
   */
  public double[] decode(BigInteger[] xs) {
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = toDouble(decodeSignedAt(xs[i], i), scaleBits);
    }
    return out;
  }

  private BigInteger encodeAt(double v, int index) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(
          String.format(
              "cannot encode %s%s: fixed-point encoding needs a finite number;"
                  + " check the input for missing values or a division by zero",
              where(index), v));
    }
    BigInteger fixed = roundScaled(v, scaleBits);
    if (fixed.abs().compareTo(maxInt) > 0) {
      throw new IllegalArgumentException(
          String.format(
              "cannot encode %s%s: |v · 2^%d| exceeds n/3 of the %d-bit modulus (largest"
                  + " encodable magnitude ≈ %s); use a smaller scale or a larger key",
              where(index), v, scaleBits, n.bitLength(), largestMagnitude()));
    }
    return toResidue(fixed);
  }

  private BigInteger decodeSignedAt(BigInteger x, int index) {
    Objects.requireNonNull(x, "x");
    if (x.signum() < 0 || x.compareTo(n) >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%sis not a plaintext of this %d-bit modulus: it must lie in [0, n);"
                  + " was it decrypted under another key or not reduced mod n?",
              index < 0 ? "the value " : "value [" + index + "] ", n.bitLength()));
    }
    if (x.compareTo(maxInt) <= 0) {
      return x;
    }
    if (x.compareTo(negativeFloor) >= 0) {
      return x.subtract(n);
    }
    throw new EncodingOverflowException(
        String.format(
            "%s overflowed the %d-bit plaintext space: it lies between n/3 and n − n/3, so a"
                + " homomorphic sum or product wrapped around n and the result is lost;"
                + " use fewer summands, a smaller scale (now %d bits) or a larger key",
            index < 0 ? "the value" : "value [" + index + "]", n.bitLength(), scaleBits),
        index);
  }

  private BigInteger toResidue(BigInteger signed) {
    return signed.signum() < 0 ? n.add(signed) : signed;
  }

  private String largestMagnitude() {
    double d = toDouble(maxInt, scaleBits);
    return Double.isInfinite(d) ? "2^" + (maxInt.bitLength() - scaleBits) : Double.toString(d);
  }

  private static String where(int index) {
    return index < 0 ? "" : "values[" + index + "] = ";
  }

  static BigInteger requireModulus(BigInteger n) {
    Objects.requireNonNull(n, "n");
    if (n.compareTo(THREE) < 0 || !n.testBit(0)) {
      throw new IllegalArgumentException(
          "the plaintext modulus must be an odd number ≥ 3 (a Paillier modulus n = p·q), got a "
              + n.bitLength()
              + "-bit "
              + (n.signum() <= 0 ? "non-positive" : n.testBit(0) ? "too small" : "even")
              + " number; pass the public key's n, not n² or a bit length");
    }
    return n;
  }

  static void requireScale(int scaleBits) {
    if (scaleBits < 0) {
      throw new IllegalArgumentException(
          "scaleBits must be ≥ 0 (values are multiplied by 2^scaleBits), got " + scaleBits);
    }
  }

  /**
   * {@code round(v · 2^scaleBits)}, half away from zero, computed on the exact real product.
   * Requires a finite {@code v}.
   */
  static BigInteger roundScaled(double v, int scaleBits) {
    // Scaling up by a power of two is exact unless it overflows to infinity.
    double scaled = Math.scalb(v, scaleBits);
    double a = Math.abs(scaled);
    if (a < 0x1p62) {
      double floor = Math.floor(a);
      // Exact: floor is an integer within 1 of a, so a − floor needs no rounding (Sterbenz).
      long r = (long) floor + (a - floor >= 0.5 ? 1 : 0);
      return BigInteger.valueOf(scaled < 0 ? -r : r);
    }
    if (!Double.isInfinite(scaled)) {
      // Doubles of magnitude ≥ 2^52 are integers.
      return new BigDecimal(scaled).toBigIntegerExact();
    }
    return new BigDecimal(v)
        .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(scaleBits)))
        .setScale(0, RoundingMode.HALF_UP)
        .toBigIntegerExact();
  }

  /**
   * {@code signed / 2^scaleBits} rounded once to the nearest double (ties to even).
   *
   * @throws ArithmeticException if the magnitude exceeds {@link Double#MAX_VALUE}
   */
  static double toDouble(BigInteger signed, int scaleBits) {
    if (signed.signum() == 0) {
      return 0.0;
    }
    if ((long) signed.bitLength() - scaleBits < -1075) {
      // Below half the smallest subnormal: rounds to zero (and avoids a huge 5^scaleBits).
      return signed.signum() < 0 ? -0.0 : 0.0;
    }
    double d;
    if (scaleBits > 1022) {
      // The quotient may be subnormal; go through an exact decimal to round only once.
      d = new BigDecimal(signed.multiply(FIVE.pow(scaleBits)), scaleBits).doubleValue();
    } else {
      BigInteger mag = signed.abs();
      int shift = Math.max(0, mag.bitLength() - 62);
      long top = mag.shiftRight(shift).longValue();
      if (shift > 0 && mag.getLowestSetBit() < shift) {
        top |= 1; // sticky bit: keeps the single rounding of the long→double conversion exact
      }
      // (double) top rounds once; scaling by a power of two is exact because the result is
      // at least 2^-1022 (a normal double) or overflows.
      d = Math.scalb((double) top, shift - scaleBits);
      d = signed.signum() < 0 ? -d : d;
    }
    if (Double.isInfinite(d)) {
      throw new ArithmeticException(
          "the decoded value (a "
              + signed.bitLength()
              + "-bit integer / 2^"
              + scaleBits
              + ") exceeds the range of double; use decodeSigned for the exact integer");
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedPointEncoder other
        && scaleBits == other.scaleBits
        && n.equals(other.n);
  }

  @Override
  public int hashCode() {
    return 31 * n.hashCode() + scaleBits;
  }

  @Override
  public String toString() {
    return "FixedPointEncoder[n=" + n.bitLength() + " bits, scaleBits=" + scaleBits + "]";
  }
}
