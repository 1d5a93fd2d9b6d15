package org.fedcredit.secagg.paillier;

import static org.assertj.core.api.Assertions.assertThat;

import com.n1analytics.paillier.PaillierPrivateKey;
import com.n1analytics.paillier.PaillierPublicKey;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * javallier (n1analytics, textbook Paillier with g = n + 1) and FedCredit's DJN engine are the same
 * cryptosystem: each decrypts the other's ciphertexts under the same key.
 */
class JavallierInteroperabilityTest {

  static final org.fedcredit.secagg.paillier.PaillierPrivateKey OURS = TestKeys.A;
  static final PaillierPublicKey THEIR_PUBLIC = new PaillierPublicKey(OURS.publicKey().n());
  static final PaillierPrivateKey THEIRS = new PaillierPrivateKey(THEIR_PUBLIC, OURS.totient());
  static final PaillierEngine ENGINE =
      PaillierEngine.forKeyOwner(OURS, PaillierEngine.Options.defaults().withThreads(1));

  @Property(tries = 15)
  void javallierCiphertextDecryptsWithOurEngine(@ForAll @LongRange(min = 0) long m) {
    BigInteger c = THEIR_PUBLIC.raw_encrypt(BigInteger.valueOf(m));
    assertThat(ENGINE.decrypt(ENGINE.fromBigInteger(c))).isEqualTo(BigInteger.valueOf(m));
  }

  @Property(tries = 15)
  void ourCiphertextDecryptsWithJavallier(@ForAll @LongRange(min = 0) long m) {
    BigInteger viaCrt = ENGINE.toBigInteger(ENGINE.encrypt(BigInteger.valueOf(m)));
    BigInteger viaPublic = ENGINE.toBigInteger(ENGINE.encryptWithPublicKey(BigInteger.valueOf(m)));
    assertThat(THEIRS.raw_decrypt(viaCrt)).isEqualTo(BigInteger.valueOf(m));
    assertThat(THEIRS.raw_decrypt(viaPublic)).isEqualTo(BigInteger.valueOf(m));
  }

  @Property(tries = 10)
  void homomorphicAdditionAcrossLibraries(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long a,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long b) {
    BigInteger theirs = THEIR_PUBLIC.raw_encrypt(BigInteger.valueOf(a));
    Ciphertext sum =
        ENGINE.add(ENGINE.fromBigInteger(theirs), ENGINE.encrypt(BigInteger.valueOf(b)));
    assertThat(THEIRS.raw_decrypt(ENGINE.toBigInteger(sum)))
        .isEqualTo(BigInteger.valueOf(a).add(BigInteger.valueOf(b)));
  }
}
