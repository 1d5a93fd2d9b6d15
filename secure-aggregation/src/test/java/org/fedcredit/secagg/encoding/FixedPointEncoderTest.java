package org.fedcredit.secagg.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FixedPointEncoderTest {

  /** A 256-bit odd test modulus; nothing here needs primes. */
  private static final BigInteger N =
      new BigInteger("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 16);

  // ---- properties -------------------------------------------------------------------------

  @Property(tries = 200)
  void decodeOfEncodeIsWithinHalfAStepOfTheValue(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 60) int scale,
      @ForAll("doubles") double v) {
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);

    double decoded = enc.decode(enc.encode(v));

    assertThat(exact(decoded).subtract(exact(v)).abs())
        .isLessThanOrEqualTo(exact(twoTo(-scale - 1)));
  }

  @Property(tries = 200)
  void encodeRoundsTheExactProductHalfAwayFromZeroIntoZn(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 60) int scale,
      @ForAll("doubles") double v) {
    BigInteger expected =
        exact(v)
            .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(scale)))
            .setScale(0, RoundingMode.HALF_UP)
            .toBigIntegerExact();

    BigInteger encoded = new FixedPointEncoder(n, scale).encode(v);

    assertThat(encoded).isEqualTo(expected.mod(n));
    assertThat(new FixedPointEncoder(n, scale).decodeSigned(encoded)).isEqualTo(expected);
  }

  @Property(tries = 200)
  void tiesRoundAwayFromZero(
      @ForAll @IntRange(min = 0, max = 60) int scale,
      @ForAll @LongRange(min = 0, max = 1L << 40) long k,
      @ForAll boolean negative) {
    FixedPointEncoder enc = new FixedPointEncoder(N, scale);
    double tie = Math.scalb(k + 0.5, -scale); // exactly halfway between k and k+1 steps
    BigInteger awayFromZero = BigInteger.valueOf(k + 1);

    BigInteger decoded = enc.decodeSigned(enc.encode(negative ? -tie : tie));

    assertThat(decoded).isEqualTo(negative ? awayFromZero.negate() : awayFromZero);
  }

  @Property(tries = 200)
  void addingEncodingsModNAddsTheValues(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 60) int scale,
      @ForAll("doubles") double a,
      @ForAll("doubles") double b) {
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);
    BigInteger ea = enc.encode(a);
    BigInteger eb = enc.encode(b);

    BigInteger sum = ea.add(eb).mod(n);

    assertThat(enc.decodeSigned(sum)).isEqualTo(enc.decodeSigned(ea).add(enc.decodeSigned(eb)));
    double decoded = enc.decode(sum);
    BigDecimal error = exact(decoded).subtract(exact(a).add(exact(b))).abs();
    assertThat(error).isLessThanOrEqualTo(exact(twoTo(-scale)).add(exact(Math.ulp(decoded))));
  }

  @Property(tries = 200)
  void multiplyingByAnEncodedIntegerModNMultipliesTheValueAtTwiceTheScale(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 60) int scale,
      @ForAll("doubles") double a,
      @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long k) {
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);
    BigInteger ea = enc.encode(a);

    BigInteger product = ea.multiply(enc.encode(k)).mod(n);

    BigInteger exactProduct = enc.decodeSigned(ea).multiply(BigInteger.valueOf(k)).shiftLeft(scale);
    assertThat(enc.decodeSigned(product)).isEqualTo(exactProduct);
    double decoded = enc.decode(product, 2 * scale);
    assertThat(enc.withScaleBits(2 * scale).decode(product)).isEqualTo(decoded);
    BigDecimal error = exact(decoded).subtract(exact(a).multiply(BigDecimal.valueOf(k))).abs();
    BigDecimal bound =
        BigDecimal.valueOf(Math.abs(k))
            .multiply(exact(twoTo(-scale - 1)))
            .add(exact(Math.ulp(decoded)));
    assertThat(error).isLessThanOrEqualTo(bound);
  }

  @Property(tries = 200)
  void multiplyingTwoEncodedRealsModNDecodesAtTwiceTheScale(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 1, max = 60) int scale,
      @ForAll("doubles") double a,
      @ForAll("doubles") double b) {
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);

    double decoded = enc.decode(enc.encode(a).multiply(enc.encode(b)).mod(n), 2 * scale);

    // (a + ea)(b + eb) − ab with |ea|, |eb| ≤ 2^-(s+1), plus the final rounding to double.
    BigDecimal half = exact(twoTo(-scale - 1));
    BigDecimal bound =
        exact(Math.abs(a))
            .add(exact(Math.abs(b)))
            .multiply(half)
            .add(half.multiply(half))
            .add(exact(Math.ulp(decoded)));
    assertThat(exact(decoded).subtract(exact(a).multiply(exact(b))).abs())
        .isLessThanOrEqualTo(bound);
  }

  @Property(tries = 200)
  void residuesInTheMiddleThirdAreReportedAsOverflow(
      @ForAll("moduli") BigInteger n, @ForAll @LongRange(min = 0) long seed) {
    FixedPointEncoder enc = new FixedPointEncoder(n, 16);
    BigInteger width = n.subtract(enc.maxInt().shiftLeft(1)).subtract(BigInteger.ONE);
    BigInteger middle =
        enc.maxInt()
            .add(BigInteger.ONE)
            .add(new BigInteger(n.bitLength(), new java.util.Random(seed)).mod(width));

    assertThatThrownBy(() -> enc.decode(middle))
        .isInstanceOf(EncodingOverflowException.class)
        .hasMessageContaining("overflowed");
  }

  @Property(tries = 200)
  void toDoubleRoundsOnceToTheNearestDouble(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 400) int scale,
      @ForAll @LongRange(min = 0) long seed) {
    FixedPointEncoder enc = new FixedPointEncoder(n, 0);
    // A residue with many significant bits, so that the conversion has to round.
    BigInteger x = new BigInteger(n.bitLength(), new java.util.Random(seed)).mod(n);
    x =
        x.compareTo(enc.maxInt()) <= 0 || x.compareTo(n.subtract(enc.maxInt())) >= 0
            ? x
            : x.shiftRight(2);

    double decoded = enc.decode(x, scale);

    double reference =
        new BigDecimal(enc.decodeSigned(x))
            .divide(new BigDecimal(BigInteger.ONE.shiftLeft(scale)))
            .doubleValue();
    assertThat(decoded).isEqualTo(reference);
  }

  @Provide
  Arbitrary<BigInteger> moduli() {
    return Arbitraries.randomValue(r -> new BigInteger(512, r).setBit(511).setBit(0));
  }

  /** Finite doubles of every magnitude up to 2^100, including tiny and subnormal ones. */
  @Provide
  Arbitrary<Double> doubles() {
    Arbitrary<Double> anyBits =
        Arbitraries.longs()
            .map(Double::longBitsToDouble)
            .filter(d -> Double.isFinite(d) && Math.abs(d) < 0x1p100);
    Arbitrary<Double> moderate = Arbitraries.doubles().between(-1e6, 1e6).ofScale(12);
    return Arbitraries.oneOf(anyBits, moderate);
  }

  // ---- examples ---------------------------------------------------------------------------

  @Test
  void roundsHalfAwayFromZeroAtScaleZero() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 0);

    assertThat(enc.encode(0.5)).isEqualTo(BigInteger.ONE);
    assertThat(enc.encode(-0.5)).isEqualTo(N.subtract(BigInteger.ONE));
    assertThat(enc.encode(2.5)).isEqualTo(BigInteger.valueOf(3));
    assertThat(enc.encode(-2.5)).isEqualTo(N.subtract(BigInteger.valueOf(3)));
    assertThat(enc.encode(0.49999999999999994)).isEqualTo(BigInteger.ZERO);
    assertThat(enc.encode(-0.0)).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void negativeValuesMapToNMinusTheirMagnitude() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 10);

    assertThat(enc.encode(-1.5)).isEqualTo(N.subtract(BigInteger.valueOf(1536)));
    assertThat(enc.encode(-3L)).isEqualTo(N.subtract(BigInteger.valueOf(3072)));
    assertThat(enc.decode(N.subtract(BigInteger.valueOf(1536)))).isEqualTo(-1.5);
  }

  @Test
  void encodesLongsExactlyBeyondDoublePrecision() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 10);

    BigInteger encoded = enc.encode(Long.MAX_VALUE);

    assertThat(enc.decodeSigned(encoded))
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(10));
    assertThat(enc.decodeSigned(enc.encode(Long.MIN_VALUE)))
        .isEqualTo(BigInteger.valueOf(Long.MIN_VALUE).shiftLeft(10));
  }

  @Test
  void decodesExactlyAtTheBoundariesOfThePositiveAndNegativeThirds() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 0);
    BigInteger max = enc.maxInt();

    assertThat(max).isEqualTo(N.divide(BigInteger.valueOf(3)));
    assertThat(enc.decodeSigned(max)).isEqualTo(max);
    assertThat(enc.decodeSigned(N.subtract(max))).isEqualTo(max.negate());
    assertThatThrownBy(() -> enc.decodeSigned(max.add(BigInteger.ONE)))
        .isInstanceOf(EncodingOverflowException.class);
    assertThatThrownBy(() -> enc.decodeSigned(N.subtract(max).subtract(BigInteger.ONE)))
        .isInstanceOf(EncodingOverflowException.class);
  }

  @Test
  void sumOfTwoMaximalValuesIsDetectedEvenWhenThreeDividesN() {
    BigInteger divisibleByThree = N.multiply(BigInteger.valueOf(3));
    for (BigInteger n : new BigInteger[] {N, divisibleByThree}) {
      FixedPointEncoder enc = new FixedPointEncoder(n, 0);
      BigInteger max = enc.maxInt();
      BigInteger minusMax = n.subtract(max);

      assertThatThrownBy(() -> enc.decodeSigned(max.add(max).mod(n)))
          .as("maxInt + maxInt mod %s", n)
          .isInstanceOf(EncodingOverflowException.class);
      assertThatThrownBy(() -> enc.decodeSigned(minusMax.add(minusMax).mod(n)))
          .as("-maxInt - maxInt mod %s", n)
          .isInstanceOf(EncodingOverflowException.class);
    }
  }

  @Test
  void arrayDecodeNamesTheOverflowedIndex() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 8);
    BigInteger[] xs = {enc.encode(1.0), enc.encode(-1.0), enc.maxInt().add(BigInteger.ONE)};

    assertThatThrownBy(() -> enc.decode(xs))
        .isInstanceOfSatisfying(
            EncodingOverflowException.class, e -> assertThat(e.index()).hasValue(2))
        .hasMessageContaining("value [2]")
        .hasMessageContaining("fewer summands")
        .hasMessageContaining("larger key");
    assertThat(enc.decode(new BigInteger[] {xs[0], xs[1]})).containsExactly(1.0, -1.0);
  }

  @Test
  void singleDecodeOverflowHasNoIndex() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 8);

    assertThatThrownBy(() -> enc.decode(enc.maxInt().add(BigInteger.ONE)))
        .isInstanceOfSatisfying(
            EncodingOverflowException.class, e -> assertThat(e.index()).isEmpty());
  }

  @Test
  void rejectsNonFiniteValuesNamingThem() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 8);

    assertThatThrownBy(() -> enc.encode(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> enc.encode(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Infinity");
    assertThatThrownBy(() -> enc.encode(new double[] {1.0, Double.NEGATIVE_INFINITY}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[1] = -Infinity");
  }

  @Test
  void rejectsValuesBeyondTheThirdOfThePlaintextSpace() {
    BigInteger small = BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE); // maxInt ≈ 2^61.4
    FixedPointEncoder enc = new FixedPointEncoder(small, 20);
    double largest = Math.scalb(1.0, 41); // 2^61 fits
    double tooLarge = Math.scalb(1.0, 42); // 2^62 does not

    assertThat(enc.decode(enc.encode(-largest))).isEqualTo(-largest);
    assertThatThrownBy(() -> enc.encode(tooLarge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Double.toString(tooLarge))
        .hasMessageContaining("larger key");
    assertThatThrownBy(() -> enc.encode(1L << 42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Long.toString(1L << 42));
    assertThatThrownBy(() -> enc.encode(new double[] {0, 0, -tooLarge}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[2]");
  }

  @Test
  void rejectsResiduesOutsideZn() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 8);

    assertThatThrownBy(() -> enc.decode(N)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.decode(BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, n)");
  }

  @Test
  void constructorRejectsUnusableModuliAndScales() {
    assertThatThrownBy(() -> new FixedPointEncoder(N.add(BigInteger.ONE), 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even");
    assertThatThrownBy(() -> new FixedPointEncoder(BigInteger.ONE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FixedPointEncoder(N, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");

    int largest = new FixedPointEncoder(N, 0).maxInt().bitLength() - 1;
    FixedPointEncoder widest = new FixedPointEncoder(N, largest);
    assertThat(widest.decode(widest.encode(-1.0))).isEqualTo(-1.0);
    assertThatThrownBy(() -> new FixedPointEncoder(N, largest + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaleBits ≤ " + largest);
  }

  @Test
  void withScaleBitsKeepsTheModulus() {
    FixedPointEncoder enc = new FixedPointEncoder(N, 16);

    FixedPointEncoder doubled = enc.withScaleBits(32);

    assertThat(doubled).isEqualTo(new FixedPointEncoder(N, 32));
    assertThat(doubled.n()).isEqualTo(N);
    assertThat(doubled.scaleBits()).isEqualTo(32);
  }

  @Test
  void decodesIntoSubnormalsAndRejectsValuesBeyondDoubleRange() {
    BigInteger wide = BigInteger.ONE.shiftLeft(1200).add(BigInteger.ONE);
    FixedPointEncoder enc = new FixedPointEncoder(wide, 0);

    assertThat(enc.decode(BigInteger.ONE, 1074)).isEqualTo(Double.MIN_VALUE);
    assertThat(enc.decode(BigInteger.ONE, 1075)).isEqualTo(0.0); // tie to even
    assertThat(enc.decode(BigInteger.valueOf(3), 1075)).isEqualTo(2 * Double.MIN_VALUE);
    assertThat(enc.decode(BigInteger.ONE.shiftLeft(1100), 100)).isEqualTo(0x1p1000);
    assertThatThrownBy(() -> enc.decode(enc.maxInt()))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("decodeSigned");
    assertThat(enc.decodeSigned(enc.maxInt())).isEqualTo(enc.maxInt());
  }

  private static double twoTo(int exponent) {
    return Math.scalb(1.0, exponent);
  }

  private static BigDecimal exact(double d) {
    return new BigDecimal(d);
  }
}
