package org.fedcredit.secagg.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PlaintextEngineTest {

  static final PaillierPrivateKey SK = TestKeys.A;
  static final BigInteger N = SK.publicKey().n();
  static final PaillierEngine REAL =
      PaillierEngine.forKeyOwner(SK, PaillierEngine.Options.defaults().withThreads(1));
  static final PlaintextEngine CLEAR = new PlaintextEngine(SK.publicKey());

  @Property(tries = 15)
  void computesExactlyWhatPaillierDecryptsTo(@ForAll long seed) {
    Random r = new Random(seed);
    BigInteger[] d = new BigInteger[20];
    long[][] cols = new long[2][20];
    for (int i = 0; i < 20; i++) {
      d[i] = BigInteger.valueOf(r.nextLong()).mod(N);
      cols[0][i] = r.nextInt();
      cols[1][i] = -r.nextInt(1000);
    }
    for (HomomorphicEngine e : new HomomorphicEngine[] {REAL, CLEAR}) {
      Ciphertext[] c = e.encrypt(d);
      Ciphertext[] m = e.multiplyMatrix(c, cols);
      Ciphertext s = e.add(e.multiply(m[0], 3), e.negate(e.addPlaintext(m[1], BigInteger.TEN)));
      BigInteger expected = BigInteger.ZERO;
      for (int i = 0; i < 20; i++) {
        expected =
            expected
                .add(d[i].multiply(BigInteger.valueOf(3L * cols[0][i])))
                .subtract(d[i].multiply(BigInteger.valueOf(cols[1][i])));
      }
      expected = expected.subtract(BigInteger.TEN).mod(N);
      assertThat(e.decrypt(s)).as(e.effectiveParameters().scheme()).isEqualTo(expected);
    }
  }

  @Test
  void isVisiblyUnencryptedOnTheWire() {
    EncryptedVector v =
        CLEAR.toWire(
            CLEAR.encrypt(new BigInteger[] {BigInteger.valueOf(42)}),
            EncodingDescriptor.fixedPoint(0, 1));
    assertThat(v.firstUnrandomised()).hasValue(0);
    assertThat(CLEAR.effectiveParameters().scheme()).isEqualTo("plaintext-insecure");
    // A Paillier engine decrypts it (it is the textbook ciphertext with randomness 1) ...
    assertThat(REAL.decrypt(REAL.fromWire(v))[0]).isEqualTo(BigInteger.valueOf(42));
    // ... but the plaintext engine refuses real ciphertexts: modes must not be mixed.
    EncryptedVector real =
        REAL.toWire(
            REAL.encrypt(new BigInteger[] {BigInteger.ONE}), EncodingDescriptor.fixedPoint(0, 1));
    assertThatThrownBy(() -> CLEAR.fromWire(real)).hasMessageContaining("same crypto mode");
  }
}
