package org.fedcredit.secagg.modmul;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ModularKernelTest {

  /** Odd moduli of 4096, 4095, 2048 bits and one with an odd word count (4064 bits = 127 words). */
  private static final BigInteger[] MODULI = {
    oddModulus(4096, 1), oddModulus(4095, 2), oddModulus(2048, 3), oddModulus(4064, 4),
  };

  private static BigInteger oddModulus(int bits, long seed) {
    return new BigInteger(bits, new Random(seed)).setBit(bits - 1).setBit(0);
  }

  @SuppressWarnings("unchecked")
  private static ModularArithmetic<Object> on(ModularKernel k, BigInteger m) {
    return (ModularArithmetic<Object>) k.arithmetic(m);
  }

  @Provide
  Arbitrary<BigInteger> residues() {
    return Arbitraries.randomValue(r -> new BigInteger(4100, r));
  }

  @Test
  void montgomeryKernelIsActiveUnderTheProjectJvmOptions() {
    // The surefire argLine passes --add-opens java.base/java.math=ALL-UNNAMED, as the launcher
    // does.
    assertThat(ModularKernel.MONTGOMERY.available()).isTrue();
    assertThat(ModularKernel.selected()).isEqualTo(ModularKernel.MONTGOMERY);
    assertThat(ModularKernel.MONTGOMERY.describe()).startsWith("montgomery");
  }

  @Property(tries = 200)
  void productsAgreeWithBigIntegerOnBothKernels(
      @ForAll("residues") BigInteger a,
      @ForAll("residues") BigInteger b,
      @ForAll @IntRange(min = 0, max = 3) int which) {
    BigInteger m = MODULI[which];
    BigInteger x = a.mod(m);
    BigInteger y = b.mod(m);
    BigInteger expected = x.multiply(y).mod(m);
    for (ModularKernel k : ModularKernel.values()) {
      ModularArithmetic<Object> ar = on(k, m);
      Object xe = ar.fromBigInteger(x);
      Object ye = ar.fromBigInteger(y);
      assertThat(ar.toBigInteger(ar.multiply(xe, ye))).as(k.name()).isEqualTo(expected);
      assertThat(ar.toBigInteger(ar.square(xe))).as(k.name()).isEqualTo(x.multiply(x).mod(m));
      assertThat(ar.toBigInteger(xe)).as(k.name()).isEqualTo(x);
      assertThat(ar.multiplyPlain(x, y)).as(k.name()).isEqualTo(expected);
      BigInteger wide = a.multiply(b).mod(m.multiply(m));
      assertThat(ar.reduce(wide)).as(k.name()).isEqualTo(wide.mod(m));
    }
  }

  @Property(tries = 50)
  void powAgreesWithModPow(
      @ForAll("residues") BigInteger a,
      @ForAll @IntRange(min = 0, max = 700) int expBits,
      @ForAll @IntRange(min = 0, max = 3) int which) {
    BigInteger m = MODULI[which];
    BigInteger x = a.mod(m);
    BigInteger e = new BigInteger(expBits, new Random(a.longValue()));
    for (ModularKernel k : ModularKernel.values()) {
      ModularArithmetic<Object> ar = on(k, m);
      assertThat(ar.toBigInteger(ar.pow(ar.fromBigInteger(x), e)))
          .as(k.name())
          .isEqualTo(x.modPow(e, m));
    }
  }

  @Test
  void valuesJustBelowTheModulusStayCanonical() {
    // m−1 squared is 1; (m−1)(m−2) is 2: exercises the final conditional subtraction.
    for (BigInteger m : MODULI) {
      ModularArithmetic<Object> ar = on(ModularKernel.MONTGOMERY, m);
      Object a = ar.fromBigInteger(m.subtract(BigInteger.ONE));
      Object b = ar.fromBigInteger(m.subtract(BigInteger.TWO));
      assertThat(ar.toBigInteger(ar.square(a))).isEqualTo(BigInteger.ONE);
      assertThat(ar.toBigInteger(ar.multiply(a, b))).isEqualTo(BigInteger.TWO);
      assertThat(ar.toBigInteger(ar.one())).isEqualTo(BigInteger.ONE);
    }
  }

  @Property(tries = 30)
  void fixedBaseTableMatchesModPow(
      @ForAll("residues") BigInteger base, @ForAll("residues") BigInteger seed) {
    BigInteger m = MODULI[0];
    BigInteger g = base.mod(m);
    for (ModularKernel k : ModularKernel.values()) {
      ModularArithmetic<Object> ar = on(k, m);
      for (int w : new int[] {8, 4, 5, 11}) {
        FixedBaseExponentiation<Object> t =
            new FixedBaseExponentiation<>(ar, ar.fromBigInteger(g), 224, w);
        byte[] x = seed.toByteArray();
        byte[] exp = new byte[t.exponentBytes()];
        System.arraycopy(
            x,
            Math.max(0, x.length - exp.length),
            exp,
            Math.max(0, exp.length - x.length),
            Math.min(exp.length, x.length));
        BigInteger e = new BigInteger(1, exp);
        assertThat(ar.toBigInteger(t.pow(exp))).as(k + " w=" + w).isEqualTo(g.modPow(e, m));
      }
    }
  }

  @Property(tries = 30)
  void multiExponentiationEqualsTheNaiveProduct(
      @ForAll @IntRange(min = 1, max = 300) int terms,
      @ForAll @IntRange(min = 1, max = 62) int bits,
      @ForAll long seed) {
    BigInteger m = MODULI[2];
    Random r = new Random(seed);
    for (ModularKernel k : ModularKernel.values()) {
      ModularArithmetic<Object> ar = on(k, m);
      Object[] bases = new Object[terms];
      long[] exps = new long[terms];
      int[] idx = new int[terms];
      BigInteger expected = BigInteger.ONE;
      for (int i = 0; i < terms; i++) {
        BigInteger b = new BigInteger(2040, r).mod(m);
        bases[i] = ar.fromBigInteger(b);
        exps[i] = r.nextInt(5) == 0 ? 0 : (r.nextLong() >>> (64 - bits));
        idx[i] = i;
        expected = expected.multiply(b.modPow(BigInteger.valueOf(exps[i]), m)).mod(m);
      }
      Object got = MultiExponentiation.product(ar, bases, exps, idx, 0, terms);
      assertThat(ar.toBigInteger(got)).as(k.name()).isEqualTo(expected);
    }
  }

  @Test
  void windowChoiceFollowsTheCostModel() {
    assertThat(MultiExponentiation.bestWindow(10_000, 16)).isEqualTo(8);
    assertThat(MultiExponentiation.bestWindow(1, 16)).isLessThanOrEqualTo(2);
  }
}
