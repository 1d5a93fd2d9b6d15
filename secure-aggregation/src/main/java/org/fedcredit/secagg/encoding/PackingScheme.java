package org.fedcredit.secagg.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Packs several signed fixed-point values into one Paillier plaintext (BatchCrypt-style), so that
 * one homomorphic addition adds {@link #slots()} values at once.
 *
 * <h2>Layout</h2>
 *
 * All values share one scale ({@link #scaleBits()}). A value {@code v} with {@code |v| ≤
 * maxAbsValue} is stored as the non-negative integer {@code round(v · 2^scaleBits) + offset}
 * (rounding half away from zero, as in {@link FixedPointEncoder}), where {@code offset =
 * ceil(maxAbsValue · 2^scaleBits)}; a stored slot therefore lies in {@code [0, 2·offset]}. A
 * plaintext holds {@code slots} slots of {@code slotBits} bits each, the first value in the lowest
 * slot: {@code plaintext = Σ_i stored_i · 2^(i·slotBits)}. The last plaintext of a vector is padded
 * with the value 0 (slot = {@code offset}).
 *
 * <h2>What {@link #forBounds} guarantees</h2>
 *
 * <ul>
 *   <li>{@code slotBits = bitLength(summands · 2 · offset)}: the smallest width in which the sum of
 *       {@code summands} stored slots cannot carry into the next slot. No extra guard bit is added
 *       because overflow is instead checked explicitly in {@link #unpack}.
 *   <li>{@code slots = floor((n.bitLength() − 2) / slotBits)}: even the sum of {@code summands}
 *       packed plaintexts is below {@code 2^(n.bitLength() − 2) < n}, so it never wraps mod n.
 *   <li>Adding up to {@code summands} packed vectors (homomorphically: multiplying ciphertexts) and
 *       unpacking with the number of vectors added returns the element-wise sums of the fixed-point
 *       values, exactly (then rounded once to {@code double}); each element is within {@code
 *       addedCount · 2^-(scaleBits+1)} of the sum of the original doubles, plus that rounding.
 * </ul>
 *
 * Only addition is supported. Multiplying a packed plaintext by a positive integer {@code c}
 * (ciphertext × plaintext) multiplies every slot, offset included, by {@code c}: it counts as
 * {@code c} added vectors. Negative or fractional multipliers are not meaningful on packed data.
 *
 * <h2>Wire form</h2>
 *
 * The parameters map one-to-one onto {@code PlaintextEncoding} in {@code paillier.proto} ({@code
 * scale_bits}, {@code slots}, {@code slot_bits}, {@code slot_offset}, {@code summands}); {@link
 * #of} rebuilds and re-validates a scheme from them. There are no hidden defaults. Instances are
 * immutable and thread-safe.
 */
public final class PackingScheme {
  private final BigInteger n;
  private final int scaleBits;
  private final double maxAbsValue;
  private final int summands;
  private final BigInteger offset;
  private final int slotBits;
  private final int slots;
  private final BigInteger slotMask;

  private PackingScheme(
      BigInteger n,
      int scaleBits,
      double maxAbsValue,
      int summands,
      BigInteger offset,
      int slotBits,
      int slots) {
    this.n = n;
    this.scaleBits = scaleBits;
    this.maxAbsValue = maxAbsValue;
    this.summands = summands;
    this.offset = offset;
    this.slotBits = slotBits;
    this.slots = slots;
    this.slotMask = BigInteger.ONE.shiftLeft(slotBits).subtract(BigInteger.ONE);
  }

  /**
   * Derives the densest packing for values bounded by {@code maxAbsValue} of which up to {@code
   * summands} vectors will be added.
   *
   * @param n the Paillier modulus (odd, ≥ 3)
   * @param scaleBits fixed-point scale shared by every value
   * @param maxAbsValue the largest magnitude any packed value may have (finite, &gt; 0)
   * @param summands the largest number of packed vectors that will be added before unpacking (e.g.
   *     the number of parties), ≥ 1
   * @throws IllegalArgumentException if an argument is out of range or not even one slot fits into
   *     the plaintext space
   */
  public static PackingScheme forBounds(
      BigInteger n, int scaleBits, double maxAbsValue, int summands) {
    FixedPointEncoder.requireModulus(n);
    FixedPointEncoder.requireScale(scaleBits);
    if (!(maxAbsValue > 0) || Double.isInfinite(maxAbsValue)) {
      throw new IllegalArgumentException(
          "maxAbsValue must be a finite number > 0 (the bound on |value| of every packed value),"
              + " got "
              + maxAbsValue);
    }
    requireSummands(summands);
    if (scaleBits > n.bitLength() + 1074) {
      // Even the smallest positive double, 2^-1074, would give an offset wider than n.
      throw new IllegalArgumentException(
          String.format(
              "scaleBits = %d cannot be packed into a %d-bit modulus; use a smaller scale",
              scaleBits, n.bitLength()));
    }
    BigInteger offset =
        new BigDecimal(maxAbsValue)
            .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(scaleBits)))
            .setScale(0, RoundingMode.CEILING)
            .toBigIntegerExact();
    int slotBits = slotBitsFor(offset, summands);
    int usable = n.bitLength() - 2;
    if (slotBits > usable) {
      throw new IllegalArgumentException(
          String.format(
              "cannot pack values with |v| ≤ %s at scale 2^%d for %d summands into a %d-bit"
                  + " modulus: one slot needs %d bits (bitLength(summands · 2 · offset)) but only"
                  + " %d are usable; lower maxAbsValue, scaleBits or summands, or use a larger key",
              maxAbsValue, scaleBits, summands, n.bitLength(), slotBits, Math.max(usable, 0)));
    }
    return new PackingScheme(
        n, scaleBits, maxAbsValue, summands, offset, slotBits, usable / slotBits);
  }

  /**
   * Rebuilds a scheme from its effective parameters (e.g. read from a {@code PlaintextEncoding}
   * message), checking that they are safe: {@code slotBits ≥ bitLength(summands · 2 · offset)} and
   * {@code slots · slotBits ≤ n.bitLength() − 2}. Values are accepted for packing if {@code
   * |round(v · 2^scaleBits)| ≤ offset}.
   *
   * @throws IllegalArgumentException if the parameters are inconsistent or could overflow
   */
  public static PackingScheme of(
      BigInteger n, int scaleBits, int slots, int slotBits, BigInteger offset, int summands) {
    FixedPointEncoder.requireModulus(n);
    FixedPointEncoder.requireScale(scaleBits);
    requireSummands(summands);
    Objects.requireNonNull(offset, "offset");
    if (offset.signum() <= 0) {
      throw new IllegalArgumentException("the slot offset must be > 0, got " + offset);
    }
    int needed = slotBitsFor(offset, summands);
    if (slotBits < needed) {
      throw new IllegalArgumentException(
          String.format(
              "slotBits = %d is too narrow: %d summands of values offset by %s need %d bits per"
                  + " slot, or the slots would carry into each other",
              slotBits, summands, offset, needed));
    }
    if (slots < 1 || (long) slots * slotBits > n.bitLength() - 2) {
      throw new IllegalArgumentException(
          String.format(
              "%d slots of %d bits do not fit a %d-bit modulus: at most %d bits are usable so"
                  + " that sums stay below n",
              slots, slotBits, n.bitLength(), n.bitLength() - 2));
    }
    double maxAbs = FixedPointEncoder.toDouble(offset, scaleBits);
    return new PackingScheme(n, scaleBits, maxAbs, summands, offset, slotBits, slots);
  }

  /** Values per plaintext. */
  public int slots() {
    return slots;
  }

  /** Width of one slot in bits. */
  public int slotBits() {
    return slotBits;
  }

  /** {@code ceil(maxAbsValue · 2^scaleBits)}, added to every fixed-point value before packing. */
  public BigInteger offset() {
    return offset;
  }

  /** The largest number of packed vectors that may be added before unpacking. */
  public int summands() {
    return summands;
  }

  /** The fixed-point scale shared by all values. */
  public int scaleBits() {
    return scaleBits;
  }

  /** The bound on {@code |v|} that {@link #pack} enforces. */
  public double maxAbsValue() {
    return maxAbsValue;
  }

  /** The plaintext modulus. */
  public BigInteger n() {
    return n;
  }

  /** {@code ceil(valueCount / slots)}: the number of plaintexts for a vector of that length. */
  public int plaintextCount(int valueCount) {
    if (valueCount < 0) {
      throw new IllegalArgumentException("valueCount must be ≥ 0, got " + valueCount);
    }
    return (int) (((long) valueCount + slots - 1) / slots);
  }

  /**
   * Packs {@code values} into {@link #plaintextCount(int) plaintextCount(values.length)}
   * plaintexts, each in {@code [0, n)}; the first value goes to the lowest slot.
   *
   * @throws IllegalArgumentException naming the index of the first value that is not finite or
   *     whose magnitude exceeds {@link #maxAbsValue()}
   */
  public BigInteger[] pack(double[] values) {
    BigInteger[] out = new BigInteger[plaintextCount(values.length)];
    for (int p = 0; p < out.length; p++) {
      BigInteger acc = BigInteger.ZERO;
      for (int s = slots - 1; s >= 0; s--) {
        int i = p * slots + s;
        BigInteger stored = i < values.length ? stored(values[i], i) : offset;
        acc = acc.shiftLeft(slotBits).or(stored);
      }
      out[p] = acc;
    }
    return out;
  }

  /**
   * Unpacks the sum of {@code addedCount} packed vectors of length {@code valueCount}: every slot
   * holds {@code Σ stored = Σ fixed-point values + addedCount · offset}, so the value returned is
   * {@code (slot − addedCount · offset) / 2^scaleBits}.
   *
   * @param packedSums the decrypted sums, as many as {@link #plaintextCount(int)
   *     plaintextCount(valueCount)}
   * @param valueCount the length of the packed vectors
   * @param addedCount how many packed vectors were added, 1 to {@link #summands()}
   * @throws IllegalArgumentException if {@code addedCount} or the number of plaintexts is wrong, a
   *     plaintext is not in {@code [0, n)}, or a padding slot does not hold {@code addedCount ·
   *     offset} (the count of added vectors does not match {@code addedCount})
   * @throws EncodingOverflowException if a slot holds more than {@code addedCount} vectors could
   *     produce, i.e. the slots carried into each other
   */
  public double[] unpack(BigInteger[] packedSums, int valueCount, int addedCount) {
    if (addedCount < 1 || addedCount > summands) {
      throw new IllegalArgumentException(
          String.format(
              "addedCount = %d is out of range: this scheme was sized for 1 to %d added vectors;"
                  + " create a scheme with more summands to add more",
              addedCount, summands));
    }
    int expected = plaintextCount(valueCount);
    if (packedSums.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "%d values at %d per plaintext need %d plaintexts, got %d",
              valueCount, slots, expected, packedSums.length));
    }
    BigInteger center = offset.multiply(BigInteger.valueOf(addedCount));
    double[] out = new double[valueCount];
    for (int p = 0; p < packedSums.length; p++) {
      BigInteger x = Objects.requireNonNull(packedSums[p], "packedSums[" + p + "]");
      int first = p * slots;
      if (x.signum() < 0 || x.compareTo(n) >= 0) {
        throw new IllegalArgumentException(
            String.format(
                "packedSums[%d] is not a plaintext of this %d-bit modulus: it must lie in [0, n)",
                p, n.bitLength()));
      }
      if (x.bitLength() > slots * slotBits) {
        throw new EncodingOverflowException(
            String.format(
                "packedSums[%d] (values %d..%d) overflowed its %d slots of %d bits: more vectors"
                    + " were added than the %d declared, or values exceeded the bound; use fewer"
                    + " summands, a smaller scale or bound, or a scheme with more summands",
                p, first, first + slots - 1, slots, slotBits, addedCount),
            first);
      }
      for (int s = 0; s < slots; s++) {
        int i = first + s;
        BigInteger signed = x.shiftRight(s * slotBits).and(slotMask).subtract(center);
        if (i < valueCount) {
          if (signed.abs().compareTo(center) > 0) {
            throw new EncodingOverflowException(
                String.format(
                    "value [%d] overflowed its %d-bit slot: it exceeds what %d added vectors of"
                        + " |v| ≤ %s can sum to; use fewer summands, a smaller scale or bound, or"
                        + " check addedCount",
                    i, slotBits, addedCount, maxAbsValue),
                i);
          }
          out[i] = FixedPointEncoder.toDouble(signed, scaleBits);
        } else if (signed.signum() != 0) {
          throw new IllegalArgumentException(
              String.format(
                  "padding slot %d of packedSums[%d] should hold addedCount · offset but is off"
                      + " by %s: addedCount = %d does not match the number of vectors added, or"
                      + " vectors of different lengths were added",
                  s, p, signed, addedCount));
        }
      }
    }
    return out;
  }

  private BigInteger stored(double v, int index) {
    if (!Double.isFinite(v) || Math.abs(v) > maxAbsValue) {
      throw new IllegalArgumentException(
          String.format(
              "values[%d] = %s is outside the packing bound |v| ≤ %s; clip or rescale the values,"
                  + " or create the scheme with a larger maxAbsValue",
              index, v, maxAbsValue));
    }
    BigInteger fixed = FixedPointEncoder.roundScaled(v, scaleBits);
    if (fixed.abs().compareTo(offset) > 0) {
      // Only reachable for schemes built with of(), whose maxAbsValue is a rounded offset.
      throw new IllegalArgumentException(
          String.format(
              "values[%d] = %s rounds to %s at scale 2^%d, beyond the slot offset %s;"
                  + " clip the values or use a scheme with a larger offset",
              index, v, fixed, scaleBits, offset));
    }
    return fixed.add(offset);
  }

  private static int slotBitsFor(BigInteger offset, int summands) {
    return offset.shiftLeft(1).multiply(BigInteger.valueOf(summands)).bitLength();
  }

  private static void requireSummands(int summands) {
    if (summands < 1) {
      throw new IllegalArgumentException(
          "summands must be ≥ 1 (how many packed vectors will be added, e.g. the number of"
              + " parties), got "
              + summands);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackingScheme other
        && scaleBits == other.scaleBits
        && summands == other.summands
        && slotBits == other.slotBits
        && slots == other.slots
        && Double.compare(maxAbsValue, other.maxAbsValue) == 0
        && offset.equals(other.offset)
        && n.equals(other.n);
  }

  @Override
  public int hashCode() {
    return Objects.hash(n, scaleBits, maxAbsValue, summands, offset, slotBits, slots);
  }

  @Override
  public String toString() {
    return String.format(
        "PackingScheme[n=%d bits, scaleBits=%d, maxAbsValue=%s, summands=%d, offset=%s,"
            + " slotBits=%d, slots=%d]",
        n.bitLength(), scaleBits, maxAbsValue, summands, offset, slotBits, slots);
  }
}
