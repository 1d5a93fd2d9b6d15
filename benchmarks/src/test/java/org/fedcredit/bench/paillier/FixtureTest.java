package org.fedcredit.bench.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The correctness checks that void a benchmark run: each must reject a wrong output. */
class FixtureTest {

  static Fixture fixture;
  static PaillierEngine engine;

  @BeforeAll
  static void setUp() {
    fixture = Fixture.create(2048, 4, line -> {});
    engine =
        PaillierEngine.forPublicKey(
            fixture.keys.publicKey(), PaillierEngine.Options.defaults().withThreads(1));
  }

  @AfterAll
  static void tearDown() {
    engine.close();
    fixture.close();
  }

  BigInteger oursEncrypting(long m) {
    return engine.toBigInteger(engine.encrypt(BigInteger.valueOf(m)));
  }

  @Test
  void acceptsCorrectOutputsOfBothImplementations() {
    assertThatCode(
            () -> {
              fixture.expectJavallierDecrypts(oursEncrypting(42), BigInteger.valueOf(42), "x");
              fixture.expectFedCreditDecrypts(
                  fixture.theirPublic.raw_encrypt(BigInteger.valueOf(7)),
                  BigInteger.valueOf(7),
                  "y");
              // Expected values are compared mod n, as Paillier plaintexts are.
              fixture.expectJavallierDecrypts(
                  oursEncrypting(1), fixture.n.add(BigInteger.ONE), "z");
            })
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAFedCreditOutputOffByOne() {
    assertThatThrownBy(
            () ->
                fixture.expectJavallierDecrypts(oursEncrypting(42), BigInteger.valueOf(43), "add"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("fedcredit add is wrong")
        .hasMessageContaining("void");
  }

  @Test
  void rejectsAJavallierOutputOfAnotherPlaintext() {
    BigInteger c = fixture.theirPublic.raw_encrypt(BigInteger.valueOf(5));
    assertThatThrownBy(() -> fixture.expectFedCreditDecrypts(c, BigInteger.valueOf(6), "mul16"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("javallier mul16 is wrong");
  }

  @Test
  void rejectsAnOutputThatIsNotACiphertext() {
    assertThatThrownBy(
            () -> fixture.expectFedCreditDecrypts(BigInteger.ZERO, BigInteger.ZERO, "encrypt"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("not a valid ciphertext");
    // An unrandomised "encryption" (1 + m·n) decrypts correctly: the check is about plaintexts.
    BigInteger trivial = BigInteger.ONE.add(BigInteger.valueOf(9).multiply(fixture.n));
    assertThatCode(() -> fixture.expectJavallierDecrypts(trivial, BigInteger.valueOf(9), "e"))
        .doesNotThrowAnyException();
  }

  @Test
  void aTrialWithAWrongBodyFailsVerification() {
    Trial<BigInteger> lying =
        new Trial<>(
            () -> oursEncrypting(0),
            c -> fixture.expectJavallierDecrypts(c, BigInteger.ONE, "encrypt output 0"),
            1,
            Optional.empty());
    assertThat(lying.run()).isPositive();
    assertThatThrownBy(lying::verify).isInstanceOf(BenchmarkFailedException.class);
  }

  @Test
  void matrixCoefficientsAreBoundedAndHalfNegative() {
    for (Op op : new Op[] {Op.MULTIEXP16, Op.MULTIEXP53}) {
      var w = (Workload.MatrixProduct) fixture.workload(op, 16, 3);
      assertThat(w.d()).hasSize(16);
      assertThat(w.units()).isEqualTo(48);
      for (long[] column : w.columns()) {
        assertThat(Arrays.stream(column).filter(x -> x < 0).count()).isEqualTo(8);
        assertThat(Arrays.stream(column).map(Math::abs).max().orElseThrow())
            .isLessThan(1L << op.coefficientBits());
      }
    }
  }

  @Test
  void matrixExpectationIsTheSignedDotProductModN() {
    BigInteger[] m = {BigInteger.valueOf(3), BigInteger.valueOf(5)};
    assertThat(fixture.dot(new long[] {2, -4}, m))
        .isEqualTo(fixture.n.subtract(BigInteger.valueOf(14)));
  }
}
