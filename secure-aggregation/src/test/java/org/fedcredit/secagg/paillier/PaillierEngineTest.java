package org.fedcredit.secagg.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fedcredit.secagg.modmul.ModularKernel;
import org.junit.jupiter.api.Test;

class PaillierEngineTest {

  static final PaillierPrivateKey SK = TestKeys.A;
  static final BigInteger N = SK.publicKey().n();
  // Shared by the jqwik and Jupiter engines of this class; pool threads are daemons, so no close.
  static final PaillierEngine OWNER =
      PaillierEngine.forKeyOwner(SK, PaillierEngine.Options.defaults().withThreads(2));
  static final PaillierEngine PUBLIC =
      PaillierEngine.forPublicKey(SK.publicKey(), PaillierEngine.Options.defaults().withThreads(2));
  static final PaillierEngine OWNER_BARRETT =
      PaillierEngine.forKeyOwner(
          SK, PaillierEngine.Options.defaults().withThreads(1).withKernel(ModularKernel.BARRETT));

  @Provide
  Arbitrary<BigInteger> plaintexts() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1_000_000)),
        Arbitraries.randomValue(r -> new BigInteger(2047, r)),
        Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, N.subtract(BigInteger.ONE)));
  }

  @Property(tries = 40)
  void sumOfCiphertextsDecryptsToSumOfPlaintexts(
      @ForAll("plaintexts") BigInteger a, @ForAll("plaintexts") BigInteger b) {
    Ciphertext ca = PUBLIC.encrypt(a);
    Ciphertext cb = OWNER.encrypt(b);
    assertThat(OWNER.decrypt(OWNER.add(ca, cb))).isEqualTo(a.add(b).mod(N));
    assertThat(OWNER.decrypt(PUBLIC.subtract(ca, cb))).isEqualTo(a.subtract(b).mod(N));
    assertThat(OWNER.decrypt(PUBLIC.negate(ca))).isEqualTo(a.negate().mod(N));
    assertThat(OWNER.decrypt(PUBLIC.addPlaintext(ca, b))).isEqualTo(a.add(b).mod(N));
  }

  @Property(tries = 40)
  void scalarMultiplyMatchesPlaintextProduct(@ForAll("plaintexts") BigInteger a, @ForAll long k) {
    Ciphertext c = PUBLIC.encrypt(a);
    assertThat(OWNER.decrypt(PUBLIC.multiply(c, k)))
        .isEqualTo(a.multiply(BigInteger.valueOf(k)).mod(N));
  }

  @Property(tries = 20)
  void shiftLeftIsTheScalarMultiplyByAPowerOfTwo(
      @ForAll("plaintexts") BigInteger a, @ForAll @IntRange(min = 0, max = 200) int bits) {
    Ciphertext c = PUBLIC.encrypt(a);
    BigInteger k = BigInteger.ONE.shiftLeft(bits);
    assertThat(PUBLIC.toBigInteger(PUBLIC.shiftLeft(c, bits)))
        .isEqualTo(PUBLIC.toBigInteger(PUBLIC.multiply(c, k)));
    assertThat(OWNER.decrypt(PUBLIC.shiftLeft(c, bits))).isEqualTo(a.multiply(k).mod(N));
    assertThat(OWNER_BARRETT.toBigInteger(OWNER_BARRETT.shiftLeft(c, bits)))
        .isEqualTo(PUBLIC.toBigInteger(PUBLIC.multiply(c, k)));
  }

  @Property(tries = 20)
  void crtAndPublicKeyEncryptionsDecryptTheSame(@ForAll("plaintexts") BigInteger m) {
    Ciphertext crt = OWNER.encrypt(m);
    Ciphertext pub = OWNER.encryptWithPublicKey(m);
    Ciphertext other = PUBLIC.encrypt(m);
    assertThat(OWNER.decrypt(crt)).isEqualTo(m);
    assertThat(OWNER.decrypt(pub)).isEqualTo(m);
    assertThat(OWNER.decrypt(other)).isEqualTo(m);
    assertThat(OWNER_BARRETT.decrypt(crt)).isEqualTo(m);
  }

  @Property(tries = 20)
  void everyFreshCiphertextIsRandomised(@ForAll("plaintexts") BigInteger m) {
    for (PaillierEngine e : new PaillierEngine[] {OWNER, PUBLIC, OWNER_BARRETT}) {
      BigInteger c1 = e.toBigInteger(e.encrypt(m));
      BigInteger c2 = e.toBigInteger(e.encrypt(m));
      assertThat(c1).isNotEqualTo(c2);
      assertThat(c1.subtract(BigInteger.ONE).mod(N)).isNotEqualTo(BigInteger.ZERO);
      BigInteger r = e.toBigInteger(e.rerandomize(e.fromBigInteger(c1)));
      assertThat(r).isNotEqualTo(c1);
      assertThat(r.subtract(BigInteger.ONE).mod(N)).isNotEqualTo(BigInteger.ZERO);
      assertThat(OWNER.decrypt(OWNER.fromBigInteger(r))).isEqualTo(m);
    }
  }

  @Test
  void textbookCiphertextWithoutRandomnessIsFlaggedByTheWireCheck() {
    // 1 + m·n is decryptable with the public key alone: the check must catch it.
    BigInteger bad = BigInteger.ONE.add(BigInteger.valueOf(42).multiply(N));
    BigInteger good = PUBLIC.toBigInteger(PUBLIC.encrypt(BigInteger.valueOf(42)));
    EncryptedVector v =
        EncryptedVector.of(
            SK.publicKey(), new BigInteger[] {good, bad}, EncodingDescriptor.fixedPoint(0, 2));
    assertThat(v.firstUnrandomised()).hasValue(1);
    assertThat(OWNER.decrypt(OWNER.fromBigInteger(bad))).isEqualTo(BigInteger.valueOf(42));
  }

  @Property(tries = 15)
  void matrixProductEqualsTheNaiveProductWithNegativeCoefficients(
      @ForAll @IntRange(min = 1, max = 150) int rows,
      @ForAll @IntRange(min = 1, max = 4) int cols,
      @ForAll @IntRange(min = 1, max = 53) int bits,
      @ForAll long seed) {
    Random r = new Random(seed);
    BigInteger[] d = new BigInteger[rows];
    for (int i = 0; i < rows; i++) {
      d[i] = BigInteger.valueOf(r.nextInt(2_000_001) - 1_000_000).mod(N);
    }
    long[][] x = new long[cols][rows];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        long v = r.nextLong() >> (64 - bits);
        x[j][i] = r.nextInt(7) == 0 ? 0 : v;
      }
    }
    Ciphertext[] enc = OWNER.encrypt(d);
    Ciphertext[] prod = PUBLIC.multiplyMatrix(enc, x);
    Ciphertext[] prodBarrett = OWNER_BARRETT.multiplyMatrix(enc, x);
    for (int j = 0; j < cols; j++) {
      BigInteger expected = BigInteger.ZERO;
      BigInteger naive = BigInteger.ONE;
      for (int i = 0; i < rows; i++) {
        expected = expected.add(d[i].multiply(BigInteger.valueOf(x[j][i])));
        naive =
            naive
                .multiply(OWNER.toBigInteger(OWNER.multiply(enc[i], x[j][i])))
                .mod(SK.publicKey().nSquared());
      }
      assertThat(OWNER.decrypt(prod[j])).isEqualTo(expected.mod(N));
      // Bit-identical to the naive product of per-term exponentiations, on both kernels.
      assertThat(PUBLIC.toBigInteger(prod[j])).isEqualTo(naive);
      assertThat(OWNER_BARRETT.toBigInteger(prodBarrett[j])).isEqualTo(naive);
    }
  }

  @Property(tries = 20)
  void fastAndPortableKernelsAgreeBitForBit(
      @ForAll("plaintexts") BigInteger a, @ForAll("plaintexts") BigInteger b, @ForAll long k) {
    BigInteger ca = PUBLIC.toBigInteger(PUBLIC.encrypt(a));
    BigInteger cb = PUBLIC.toBigInteger(PUBLIC.encrypt(b));
    PaillierEngine fast = OWNER;
    PaillierEngine slow = OWNER_BARRETT;
    assertThat(fast.toBigInteger(fast.add(fast.fromBigInteger(ca), fast.fromBigInteger(cb))))
        .isEqualTo(slow.toBigInteger(slow.add(slow.fromBigInteger(ca), slow.fromBigInteger(cb))));
    assertThat(fast.toBigInteger(fast.multiply(fast.fromBigInteger(ca), k)))
        .isEqualTo(slow.toBigInteger(slow.multiply(slow.fromBigInteger(ca), k)));
    assertThat(fast.toBigInteger(fast.subtract(fast.fromBigInteger(ca), fast.fromBigInteger(cb))))
        .isEqualTo(
            slow.toBigInteger(slow.subtract(slow.fromBigInteger(ca), slow.fromBigInteger(cb))));
    assertThat(fast.decrypt(fast.fromBigInteger(ca)))
        .isEqualTo(slow.decrypt(slow.fromBigInteger(ca)));
  }

  @Test
  void batchOperationsMatchElementwiseResults() {
    BigInteger[] ms = new BigInteger[37];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = BigInteger.valueOf(i * 1000L + 7);
    }
    Ciphertext[] cs = PUBLIC.encrypt(ms);
    Ciphertext[] doubled = PUBLIC.add(cs, cs);
    BigInteger[] back = OWNER.decrypt(doubled);
    for (int i = 0; i < ms.length; i++) {
      assertThat(back[i]).isEqualTo(ms[i].shiftLeft(1));
    }
    assertThat(OWNER.decrypt(PUBLIC.sum(cs)))
        .isEqualTo(BigInteger.valueOf(37L * 7 + 1000L * (36 * 37 / 2)));
  }

  @Test
  void wireRoundTripKeepsEveryBitAndValidates() {
    Ciphertext[] cs = PUBLIC.encrypt(new BigInteger[] {BigInteger.ONE, BigInteger.TEN});
    EncryptedVector v = PUBLIC.toWire(cs, EncodingDescriptor.fixedPoint(16, 2));
    var proto = v.toProto();
    assertThat(proto.getCiphertextBytes()).isEqualTo(512);
    assertThat(proto.getCiphertexts().size()).isEqualTo(1024);
    EncryptedVector back = EncryptedVector.fromProto(proto, SK.publicKey());
    assertThat(back.encoding()).isEqualTo(EncodingDescriptor.fixedPoint(16, 2));
    assertThat(OWNER.decrypt(OWNER.fromWire(back))).containsExactly(BigInteger.ONE, BigInteger.TEN);
    assertThat(back.firstUnrandomised()).isEmpty();
  }

  @Test
  void rejectsCiphertextsOfAnotherKey() {
    try (PaillierEngine other =
        PaillierEngine.forKeyOwner(TestKeys.B, PaillierEngine.Options.defaults().withThreads(1))) {
      Ciphertext foreign = other.encrypt(BigInteger.ONE);
      assertThatThrownBy(() -> OWNER.add(OWNER.encrypt(BigInteger.ONE), foreign))
          .isInstanceOf(KeyMismatchException.class)
          .hasMessageContaining(TestKeys.B.publicKey().keyId())
          .hasMessageContaining(SK.publicKey().keyId());
      var proto =
          other.toWire(new Ciphertext[] {foreign}, EncodingDescriptor.fixedPoint(0, 1)).toProto();
      assertThatThrownBy(() -> EncryptedVector.fromProto(proto, SK.publicKey()))
          .isInstanceOf(KeyMismatchException.class);
    }
  }

  @Test
  void rejectsOutOfRangeCiphertextsNamingTheIndex() {
    BigInteger n2 = SK.publicKey().nSquared();
    assertThatThrownBy(() -> OWNER.fromBigInteger(BigInteger.ZERO))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> OWNER.fromBigInteger(n2)).isInstanceOf(PaillierException.class);
    assertThatThrownBy(() -> OWNER.fromBigInteger(BigInteger.valueOf(-5)))
        .isInstanceOf(PaillierException.class);
    // A wire vector whose third ciphertext is n² (fits the width, out of range).
    BigInteger ok = PUBLIC.toBigInteger(PUBLIC.encrypt(BigInteger.ONE));
    var good =
        EncryptedVector.of(
                SK.publicKey(), new BigInteger[] {ok, ok, ok}, EncodingDescriptor.fixedPoint(0, 3))
            .toProto();
    byte[] bytes = good.getCiphertexts().toByteArray();
    byte[] n2Bytes = n2.toByteArray();
    int width = good.getCiphertextBytes();
    java.util.Arrays.fill(bytes, 2 * width, 3 * width, (byte) 0xff); // all-ones > n²
    var forged =
        good.toBuilder().setCiphertexts(com.google.protobuf.ByteString.copyFrom(bytes)).build();
    assertThatThrownBy(() -> EncryptedVector.fromProto(forged, SK.publicKey()))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("ciphertext 2 of 3");
    assertThat(n2Bytes.length).isGreaterThanOrEqualTo(width);
    var truncated =
        good.toBuilder().setCiphertexts(good.getCiphertexts().substring(0, 100)).build();
    assertThatThrownBy(() -> EncryptedVector.fromProto(truncated, SK.publicKey()))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("carries 100 bytes");
    var wrongWidth = good.toBuilder().setCiphertextBytes(256).build();
    assertThatThrownBy(() -> EncryptedVector.fromProto(wrongWidth, SK.publicKey()))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("needs 512");
  }

  @Test
  void rejectsPlaintextsOutsideTheSpaceAndDecryptionWithoutThePrivateKey() {
    assertThatThrownBy(() -> PUBLIC.encrypt(N)).isInstanceOf(PaillierException.class);
    assertThatThrownBy(() -> PUBLIC.encrypt(BigInteger.valueOf(-1)))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("FixedPointEncoder");
    Ciphertext c = PUBLIC.encrypt(BigInteger.ONE);
    assertThatThrownBy(() -> PUBLIC.decrypt(c))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("only the public key");
  }

  @Test
  void effectiveParametersStateWhatIsReallyUsed() {
    EffectiveParameters p = OWNER.effectiveParameters();
    assertThat(p.scheme()).isEqualTo("paillier-djn");
    assertThat(p.keyBits()).isEqualTo(2048);
    assertThat(p.exponentBits()).isEqualTo(224);
    assertThat(p.encryptionPath()).isEqualTo("crt");
    assertThat(p.kernel()).startsWith("montgomery");
    assertThat(PUBLIC.effectiveParameters().encryptionPath()).isEqualTo("public");
    assertThat(OWNER_BARRETT.effectiveParameters().kernel()).startsWith("barrett");
  }

  @Test
  void a3072BitKeyWorksEndToEnd() {
    try (PaillierEngine e =
        PaillierEngine.forKeyOwner(
            TestKeys.K3072, PaillierEngine.Options.defaults().withThreads(1))) {
      assertThat(e.publicKey().exponentBits()).isEqualTo(256);
      Ciphertext c =
          e.add(e.encrypt(BigInteger.valueOf(20)), e.encryptWithPublicKey(BigInteger.valueOf(22)));
      assertThat(e.decrypt(c)).isEqualTo(BigInteger.valueOf(42));
    }
  }

  @Test
  void largeTablesReplaceSmallOnesWithoutChangingResults() throws Exception {
    PaillierEngine.Options opts = new PaillierEngine.Options(1, ModularKernel.selected(), 8, 10, 5);
    try (PaillierEngine owner = PaillierEngine.forKeyOwner(SK, opts);
        PaillierEngine pub = PaillierEngine.forPublicKey(SK.publicKey(), opts)) {
      assertThat(owner.activeWindowBits()).isEqualTo(8);
      for (int i = 0; i < 10; i++) {
        assertThat(OWNER.decrypt(owner.encrypt(BigInteger.valueOf(i))))
            .isEqualTo(BigInteger.valueOf(i));
      }
      // The fifth encryption started the background build; wait for it (bounded).
      for (int i = 0; i < 600 && owner.activeWindowBits() != 10; i++) {
        Thread.sleep(50);
      }
      assertThat(owner.activeWindowBits()).isEqualTo(10);
      assertThat(owner.effectiveParameters().windowBits()).isEqualTo(10);
      assertThat(pub.precompute()).isGreaterThan(0);
      assertThat(pub.activeWindowBits()).isEqualTo(10);
      for (long m : new long[] {0, 1, 123_456_789, -5}) {
        BigInteger want = BigInteger.valueOf(m).mod(N);
        assertThat(OWNER.decrypt(owner.encrypt(m))).isEqualTo(want);
        assertThat(OWNER.decrypt(pub.encrypt(m))).isEqualTo(want);
        assertThat(OWNER.decrypt(owner.encryptWithPublicKey(want))).isEqualTo(want);
      }
    }
  }
}
