package org.fedcredit.secagg.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PackingSchemeTest {

  /**
   * A 101-bit modulus where everything is small enough to check by hand: scale 8 and |v| ≤ 1 give
   * offset 256; 4 summands need slots for 4 · 512 = 2048 = 2^11, i.e. 12 bits; 99 usable bits hold
   * 8 such slots.
   */
  private static final BigInteger N101 = BigInteger.ONE.shiftLeft(100).add(BigInteger.ONE);

  private static final PackingScheme GOLDEN = PackingScheme.forBounds(N101, 8, 1.0, 4);

  // ---- properties -------------------------------------------------------------------------

  @Property(tries = 200)
  void packThenUnpackReturnsTheFixedPointValues(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 40) int scale,
      @ForAll("bounds") double maxAbs,
      @ForAll @IntRange(min = 1, max = 64) int summands,
      @ForAll("unitVectors") List<Double> units) {
    PackingScheme scheme = PackingScheme.forBounds(n, scale, maxAbs, summands);
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);
    double[] values = units.stream().mapToDouble(u -> u * maxAbs).toArray();

    BigInteger[] packed = scheme.pack(values);
    double[] unpacked = scheme.unpack(packed, values.length, 1);

    int k = scheme.slots();
    assertThat(packed).hasSize((values.length + k - 1) / k);
    for (BigInteger p : packed) {
      assertThat(p.signum()).isNotNegative();
      assertThat(p).isLessThan(n);
    }
    for (int i = 0; i < values.length; i++) {
      assertThat(unpacked[i]).as("value %d", i).isEqualTo(enc.decode(enc.encode(values[i])));
      assertThat(Math.abs(unpacked[i] - values[i]))
          .isLessThanOrEqualTo(Math.scalb(1.0, -scale - 1));
    }
  }

  @Property(tries = 100)
  void sumOfPackedVectorsFromNPartiesUnpacksToTheElementwiseSums(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 40) int scale,
      @ForAll("bounds") double maxAbs,
      @ForAll @IntRange(min = 1, max = 32) int summands,
      @ForAll @IntRange(min = 0, max = 1000) int partySeed,
      @ForAll @IntRange(min = 0, max = 40) int length,
      @ForAll @LongRange(min = 0) long seed) {
    PackingScheme scheme = PackingScheme.forBounds(n, scale, maxAbs, summands);
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);
    int parties = 1 + partySeed % summands;
    double[][] vectors = randomVectors(new Random(seed), parties, length, maxAbs);

    BigInteger[] sum = addPacked(scheme, n, vectors);
    double[] unpacked = scheme.unpack(sum, length, parties);

    for (int i = 0; i < length; i++) {
      BigInteger fixedSum = BigInteger.ZERO;
      double plainSum = 0;
      for (double[] v : vectors) {
        fixedSum = fixedSum.add(enc.decodeSigned(enc.encode(v[i])));
        plainSum += v[i];
      }
      double expected =
          new BigDecimal(fixedSum)
              .divide(new BigDecimal(BigInteger.ONE.shiftLeft(scale)))
              .doubleValue();
      assertThat(unpacked[i]).as("value %d of %d parties", i, parties).isEqualTo(expected);
      double tolerance =
          parties * Math.scalb(1.0, -scale - 1) + parties * Math.ulp(parties * maxAbs);
      assertThat(Math.abs(unpacked[i] - plainSum)).isLessThanOrEqualTo(tolerance);
    }
  }

  @Property(tries = 100)
  void summandsVectorsAtTheBoundDoNotCarryIntoTheNextSlot(
      @ForAll("moduli") BigInteger n,
      @ForAll @IntRange(min = 0, max = 40) int scale,
      @ForAll("bounds") double maxAbs,
      @ForAll @IntRange(min = 1, max = 64) int summands,
      @ForAll boolean negative) {
    PackingScheme scheme = PackingScheme.forBounds(n, scale, maxAbs, summands);
    FixedPointEncoder enc = new FixedPointEncoder(n, scale);
    double[] extreme = new double[2 * scheme.slots() + 1];
    Arrays.fill(extreme, negative ? -maxAbs : maxAbs);
    double[][] vectors = new double[summands][];
    Arrays.fill(vectors, extreme);

    double[] unpacked = scheme.unpack(addPacked(scheme, n, vectors), extreme.length, summands);

    BigInteger each = enc.decodeSigned(enc.encode(extreme[0]));
    double expected =
        new BigDecimal(each.multiply(BigInteger.valueOf(summands)))
            .divide(new BigDecimal(BigInteger.ONE.shiftLeft(scale)))
            .doubleValue();
    assertThat(unpacked).containsOnly(expected);
  }

  @Provide
  Arbitrary<BigInteger> moduli() {
    return Arbitraries.randomValue(r -> new BigInteger(512, r).setBit(511).setBit(0));
  }

  @Provide
  Arbitrary<Double> bounds() {
    return Arbitraries.oneOf(
        Arbitraries.of(1e-3, 0.3, 1.0, 7.5, 1e6),
        Arbitraries.doubles().between(1e-3, 1e6).ofScale(9));
  }

  /** Vectors of length 0 to 60 (rarely a multiple of the slot count) with entries in [−1, 1]. */
  @Provide
  Arbitrary<List<Double>> unitVectors() {
    return Arbitraries.oneOf(
            Arbitraries.doubles().between(-1, 1).ofScale(15), Arbitraries.of(-1.0, 0.0, 1.0))
        .list()
        .ofMaxSize(60);
  }

  // ---- examples ---------------------------------------------------------------------------

  @Test
  void forBoundsDerivesOffsetSlotWidthAndSlotCount() {
    assertThat(GOLDEN.offset()).isEqualTo(BigInteger.valueOf(256));
    assertThat(GOLDEN.slotBits()).isEqualTo(12);
    assertThat(GOLDEN.slots()).isEqualTo(8);
    assertThat(GOLDEN.summands()).isEqualTo(4);
    assertThat(GOLDEN.scaleBits()).isEqualTo(8);
    assertThat(GOLDEN.maxAbsValue()).isEqualTo(1.0);
    assertThat(GOLDEN.plaintextCount(17)).isEqualTo(3);
  }

  @Test
  void offsetIsTheCeilingOfTheScaledBound() {
    assertThat(PackingScheme.forBounds(N101, 4, 0.3, 1).offset()).isEqualTo(BigInteger.valueOf(5));
    assertThat(PackingScheme.forBounds(N101, 1, 0.5, 1).offset()).isEqualTo(BigInteger.ONE);
    assertThat(PackingScheme.forBounds(N101, 8, 1e-300, 1).offset()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void packsTheFirstValueIntoTheLowestSlotAndPadsWithZeros() {
    BigInteger[] packed = GOLDEN.pack(new double[] {1.0, -1.0, 0.5});

    // Stored slots: 1.0 → 256+256, −1.0 → 0, 0.5 → 128+256, then five padding slots of 256.
    BigInteger expected = BigInteger.valueOf(512).add(BigInteger.valueOf(384).shiftLeft(24));
    for (int slot = 3; slot < 8; slot++) {
      expected = expected.add(BigInteger.valueOf(256).shiftLeft(12 * slot));
    }
    assertThat(packed).containsExactly(expected);
  }

  @Test
  void fourVectorsAtTheBoundFillTheTwelveBitSlotsExactly() {
    double[] plus = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    double[] minus = {-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0};

    double[] allPlus = GOLDEN.unpack(addPacked(GOLDEN, N101, plus, plus, plus, plus), 9, 4);
    double[] allMinus = GOLDEN.unpack(addPacked(GOLDEN, N101, minus, minus, minus, minus), 9, 4);
    double[] mixed = GOLDEN.unpack(addPacked(GOLDEN, N101, plus, minus, plus, plus), 9, 4);

    assertThat(allPlus).containsOnly(4.0);
    assertThat(allMinus).containsOnly(-4.0);
    assertThat(mixed).containsOnly(2.0);
  }

  @Test
  void emptyVectorsPackIntoNoPlaintexts() {
    assertThat(GOLDEN.pack(new double[0])).isEmpty();
    assertThat(GOLDEN.unpack(new BigInteger[0], 0, 1)).isEmpty();
  }

  @Test
  void packRejectsValuesOutsideTheBoundNamingTheIndex() {
    assertThatThrownBy(() -> GOLDEN.pack(new double[] {0.1, -0.2, 1.0000001}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[2] = 1.0000001")
        .hasMessageContaining("maxAbsValue");
    assertThatThrownBy(() -> GOLDEN.pack(new double[] {-1.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[0]");
    assertThatThrownBy(() -> GOLDEN.pack(new double[] {0.0, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[1] = NaN");
  }

  @Test
  void unpackRejectsAnAddedCountOutsideOneToSummands() {
    BigInteger[] packed = GOLDEN.pack(new double[] {0.5});

    assertThatThrownBy(() -> GOLDEN.unpack(packed, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("addedCount = 0");
    assertThatThrownBy(() -> GOLDEN.unpack(packed, 1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("addedCount = 5")
        .hasMessageContaining("1 to 4");
  }

  @Test
  void unpackRejectsTheWrongNumberOfPlaintexts() {
    BigInteger[] packed = GOLDEN.pack(new double[9]);

    assertThatThrownBy(() -> GOLDEN.unpack(packed, 8, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 1 plaintexts, got 2");
  }

  @Test
  void unpackRejectsResiduesOutsideZn() {
    assertThatThrownBy(() -> GOLDEN.unpack(new BigInteger[] {N101}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, n)");
  }

  @Test
  void unpackDetectsACarryOutOfTheTopSlot() {
    BigInteger[] packed = GOLDEN.pack(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0.25});
    packed[1] = packed[1].setBit(8 * 12); // one past the last slot of the second plaintext

    assertThatThrownBy(() -> GOLDEN.unpack(packed, 9, 1))
        .isInstanceOfSatisfying(
            EncodingOverflowException.class, e -> assertThat(e.index()).hasValue(8))
        .hasMessageContaining("packedSums[1]")
        .hasMessageContaining("overflowed");
  }

  @Test
  void unpackDetectsASlotBeyondWhatTheAddedVectorsCanSumTo() {
    BigInteger[] packed = GOLDEN.pack(new double[] {0.5, 0.5, 0.5});
    // Slot 2 gets 2·offset + 1 = 513: one step more than a single vector can hold.
    packed[0] = packed[0].add(BigInteger.valueOf(513 - 384).shiftLeft(2 * 12));

    assertThatThrownBy(() -> GOLDEN.unpack(packed, 3, 1))
        .isInstanceOfSatisfying(
            EncodingOverflowException.class, e -> assertThat(e.index()).hasValue(2))
        .hasMessageContaining("value [2]");
  }

  @Test
  void unpackDetectsAnAddedCountThatDoesNotMatchThePadding() {
    double[] v = {0.5};
    BigInteger[] twoVectors = addPacked(GOLDEN, N101, v, v);

    assertThat(GOLDEN.unpack(twoVectors, 1, 2)).containsExactly(1.0);
    assertThatThrownBy(() -> GOLDEN.unpack(twoVectors, 1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("padding slot 1")
        .hasMessageContaining("addedCount = 3");
  }

  @Test
  void forBoundsAcceptsExactlyOneSlotWhenItFitsAndRejectsWhenItDoesNot() {
    BigInteger fourteenBits = BigInteger.ONE.shiftLeft(13).add(BigInteger.ONE); // 12 usable bits
    BigInteger thirteenBits = BigInteger.ONE.shiftLeft(12).add(BigInteger.ONE); // 11 usable bits

    PackingScheme single = PackingScheme.forBounds(fourteenBits, 8, 1.0, 4);

    assertThat(single.slots()).isEqualTo(1);
    double[] v = {-1.0, 1.0};
    assertThat(single.unpack(addPacked(single, fourteenBits, v, v, v, v), 2, 4))
        .containsExactly(-4.0, 4.0);
    assertThatThrownBy(() -> PackingScheme.forBounds(thirteenBits, 8, 1.0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 12 bits")
        .hasMessageContaining("only 11 are usable")
        .hasMessageContaining("larger key");
  }

  @Test
  void forBoundsRejectsImpossibleConfigurations() {
    BigInteger n64 = BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE);

    assertThatThrownBy(() -> PackingScheme.forBounds(n64, 40, 1e6, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("larger key");
    for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> PackingScheme.forBounds(N101, 8, bad, 4))
          .as("maxAbsValue %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxAbsValue");
    }
    assertThatThrownBy(() -> PackingScheme.forBounds(N101, 8, 1.0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("summands");
    assertThatThrownBy(() -> PackingScheme.forBounds(N101, -1, 1.0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaleBits");
    assertThatThrownBy(() -> PackingScheme.forBounds(N101.add(BigInteger.ONE), 8, 1.0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd");
    assertThatThrownBy(() -> PackingScheme.forBounds(N101, Integer.MAX_VALUE, 1.0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smaller scale");
  }

  @Test
  void ofRebuildsTheSchemeFromItsWireParameters() {
    PackingScheme rebuilt =
        PackingScheme.of(
            N101,
            GOLDEN.scaleBits(),
            GOLDEN.slots(),
            GOLDEN.slotBits(),
            GOLDEN.offset(),
            GOLDEN.summands());

    assertThat(rebuilt).isEqualTo(GOLDEN);
    double[] v = {0.75, -0.25, 1.0};
    assertThat(rebuilt.pack(v)).containsExactly(GOLDEN.pack(v));

    PackingScheme wider = PackingScheme.of(N101, 8, 6, 16, BigInteger.valueOf(256), 4);
    assertThat(wider.unpack(addPacked(wider, N101, v, v), 3, 2)).containsExactly(1.5, -0.5, 2.0);
  }

  @Test
  void ofRejectsParametersThatCouldOverflow() {
    BigInteger offset = BigInteger.valueOf(256);

    assertThatThrownBy(() -> PackingScheme.of(N101, 8, 8, 11, offset, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slotBits = 11 is too narrow");
    assertThatThrownBy(() -> PackingScheme.of(N101, 8, 9, 12, offset, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not fit");
    assertThatThrownBy(() -> PackingScheme.of(N101, 8, 0, 12, offset, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PackingScheme.of(N101, 8, 8, 12, BigInteger.ZERO, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** What a Paillier decryption of the product of the parties' packed ciphertexts yields. */
  private static BigInteger[] addPacked(PackingScheme scheme, BigInteger n, double[]... vectors) {
    BigInteger[] sum = null;
    for (double[] v : vectors) {
      BigInteger[] packed = scheme.pack(v);
      if (sum == null) {
        sum = packed;
      } else {
        for (int p = 0; p < sum.length; p++) {
          sum[p] = sum[p].add(packed[p]).mod(n);
        }
      }
    }
    return sum;
  }

  private static double[][] randomVectors(Random random, int parties, int length, double maxAbs) {
    double[][] vectors = new double[parties][length];
    for (double[] v : vectors) {
      for (int i = 0; i < length; i++) {
        v[i] =
            switch (random.nextInt(4)) {
              case 0 -> maxAbs;
              case 1 -> -maxAbs;
              default -> (2 * random.nextDouble() - 1) * maxAbs;
            };
      }
    }
    return vectors;
  }
}
