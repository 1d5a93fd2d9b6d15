package org.fedcredit.secagg.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyGenerationAndCodecTest {

  @Test
  void freshKeyHasTheDjnShapeAndWorks() {
    PaillierKeyPair kp = PaillierKeyPair.generate(2048);
    PaillierPrivateKey sk = kp.privateKey();
    BigInteger n = kp.publicKey().n();
    assertThat(n.bitLength()).isEqualTo(2048);
    assertThat(sk.p().mod(BigInteger.valueOf(4))).isEqualTo(BigInteger.valueOf(3));
    assertThat(sk.q().mod(BigInteger.valueOf(4))).isEqualTo(BigInteger.valueOf(3));
    assertThat(sk.p().bitLength()).isEqualTo(1024);
    assertThat(sk.q().bitLength()).isEqualTo(1024);
    assertThat(kp.publicKey().exponentBits()).isEqualTo(224);
    // h_s is an n-th residue: h_s^λ ≡ 1 (mod n²).
    assertThat(kp.publicKey().hs().modPow(sk.totient(), kp.publicKey().nSquared()))
        .isEqualTo(BigInteger.ONE);
    try (PaillierEngine e = PaillierEngine.forKeyOwner(sk, PaillierEngine.Options.defaults())) {
      assertThat(e.decrypt(e.encrypt(BigInteger.valueOf(123456789))))
          .isEqualTo(BigInteger.valueOf(123456789));
    }
    assertThat(PaillierKeyPair.generate(2048).publicKey().keyId())
        .as("a fresh key per call")
        .isNotEqualTo(kp.publicKey().keyId());
  }

  @Test
  void rejectsKeysBelowTheFloor() {
    assertThatThrownBy(() -> PaillierKeyPair.generate(1024))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("1024 bits is below the floor of 2048 bits");
    assertThatThrownBy(
            () -> PaillierKeyPair.generate(2048, new KeySizePolicy(3072), new SecureRandom()))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("below the floor of 3072");
    assertThatThrownBy(() -> new KeySizePolicy(1536))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("cannot be below 2048");
    // A 2048-bit key file loaded under a 3072-bit floor is refused too.
    String json = PaillierKeyCodec.toJson(TestKeys.A.publicKey());
    assertThatThrownBy(() -> PaillierKeyCodec.publicKeyFromJson(json, new KeySizePolicy(3072)))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("below the floor");
    // A 1024-bit modulus smuggled in a key document.
    BigInteger small =
        BigInteger.probablePrime(512, new SecureRandom())
            .multiply(BigInteger.probablePrime(512, new SecureRandom()));
    assertThatThrownBy(
            () -> PaillierPublicKey.of(small, BigInteger.TWO, 224, KeySizePolicy.DEFAULT))
        .isInstanceOf(PaillierException.class)
        .hasMessageContaining("Paillier key of " + small.bitLength() + " bits is below the floor");
  }

  @Test
  void jsonAndProtobufRoundTrip() {
    PaillierPrivateKey sk = TestKeys.A;
    String pubJson = PaillierKeyCodec.toJson(sk.publicKey());
    assertThat(pubJson).contains("\"scheme\" : \"paillier-djn\"").doesNotContain("\"p\"");
    assertThat(PaillierKeyCodec.publicKeyFromJson(pubJson, KeySizePolicy.DEFAULT))
        .isEqualTo(sk.publicKey());
    PaillierPrivateKey back =
        PaillierKeyCodec.privateKeyFromJson(PaillierKeyCodec.toJson(sk), KeySizePolicy.DEFAULT);
    assertThat(back.p()).isEqualTo(sk.p());
    assertThat(back.q()).isEqualTo(sk.q());
    byte[] bytes = PaillierKeyCodec.toProto(sk.publicKey()).toByteArray();
    assertThat(PaillierKeyCodec.publicKeyFromBytes(bytes, KeySizePolicy.DEFAULT))
        .isEqualTo(sk.publicKey());
    assertThat(PaillierKeyCodec.fromProto(PaillierKeyCodec.toProto(sk), KeySizePolicy.DEFAULT).q())
        .isEqualTo(sk.q());
  }

  @Test
  void malformedKeyDocumentsAreRefusedNamingTheField() {
    String json = PaillierKeyCodec.toJson(TestKeys.A.publicKey());
    assertThatThrownBy(() -> PaillierKeyCodec.publicKeyFromJson("{", KeySizePolicy.DEFAULT))
        .hasMessageContaining("not valid JSON at line 1");
    assertThatThrownBy(
            () ->
                PaillierKeyCodec.publicKeyFromJson(
                    json.replace("\"h_s\"", "\"hs\""), KeySizePolicy.DEFAULT))
        .hasMessageContaining("unknown field(s) [hs]");
    String tamperedId =
        json.replace(
            TestKeys.A.publicKey().keyId(), "00" + TestKeys.A.publicKey().keyId().substring(2));
    assertThatThrownBy(() -> PaillierKeyCodec.publicKeyFromJson(tamperedId, KeySizePolicy.DEFAULT))
        .hasMessageContaining("\"key_id\"");
    assertThatThrownBy(
            () ->
                PaillierKeyCodec.publicKeyFromJson(
                    json.replace("paillier-djn", "rsa"), KeySizePolicy.DEFAULT))
        .hasMessageContaining("\"scheme\"");
    String badHex = json.replaceFirst("\"n\" : \"", "\"n\" : \"zz");
    assertThatThrownBy(() -> PaillierKeyCodec.publicKeyFromJson(badHex, KeySizePolicy.DEFAULT))
        .hasMessageContaining("field \"n\" is not valid hex");
    String wrongPrime =
        PaillierKeyCodec.toJson(TestKeys.A).replaceFirst("\"q\" : \"[0-9a-f]+\"", "\"q\" : \"0b\"");
    assertThatThrownBy(() -> PaillierKeyCodec.privateKeyFromJson(wrongPrime, KeySizePolicy.DEFAULT))
        .hasMessageContaining("do not factor");
  }
}
