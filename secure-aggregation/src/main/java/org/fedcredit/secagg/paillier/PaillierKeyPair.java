package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A fresh Paillier key pair in Damgård–Jurik–Nielsen form.
 *
 * <p>{@link #generate} draws two distinct primes {@code p ≡ q ≡ 3 (mod 4)} of {@code bits/2} bits
 * with {@code n = p·q} of exactly {@code bits} bits, a random {@code x ∈ Z_n*}, {@code h = −x² mod
 * n} (a square times −1, hence of Jacobi symbol +1 and, w.h.p., a generator of that subgroup), and
 * {@code h_s = h^n mod n²}. The random encryption exponent has {@code 2·λ} bits for the key's
 * security level λ (224 bits at 2048, 256 at 3072 and 4096). FedCredit uses a fresh key per job.
 */
public record PaillierKeyPair(PaillierPublicKey publicKey, PaillierPrivateKey privateKey) {

  /** Miller–Rabin certainty: error probability below 2^-100 per prime. */
  private static final int PRIME_CERTAINTY = 100;

  public PaillierKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
    if (!privateKey.publicKey().equals(publicKey)) {
      throw new PaillierException("private key does not belong to public key " + publicKey.keyId());
    }
  }

  /** Generates a key of {@code bits} bits under the default 2048-bit floor. */
  public static PaillierKeyPair generate(int bits) {
    return generate(bits, KeySizePolicy.DEFAULT, new SecureRandom());
  }

  /**
   * Generates a key of {@code bits} bits.
   *
   * @throws PaillierException if {@code bits} is below the policy floor or odd
   */
  public static PaillierKeyPair generate(int bits, KeySizePolicy policy, SecureRandom random) {
    policy.check(bits);
    long t0 = EngineTimings.start(EngineTimings.Op.KEYGEN);
    try {
      return generateUntimed(bits, policy, random);
    } finally {
      EngineTimings.stop(EngineTimings.Op.KEYGEN, t0, 1);
    }
  }

  private static PaillierKeyPair generateUntimed(
      int bits, KeySizePolicy policy, SecureRandom random) {
    if (bits % 2 != 0) {
      throw new PaillierException("Paillier key size must be even, was " + bits);
    }
    int half = bits / 2;
    BigInteger p;
    BigInteger q;
    BigInteger n;
    do {
      p = blumPrime(half, random);
      q = blumPrime(half, random);
      n = p.multiply(q);
    } while (p.equals(q) || n.bitLength() != bits);
    BigInteger nSquared = n.multiply(n);
    BigInteger x;
    do {
      x = new BigInteger(bits, random);
    } while (x.signum() == 0 || x.compareTo(n) >= 0 || !x.gcd(n).equals(BigInteger.ONE));
    BigInteger h = n.subtract(x.multiply(x).mod(n));
    BigInteger hs = h.modPow(n, nSquared);
    int exponentBits = 2 * KeySizePolicy.securityBits(bits);
    PaillierPublicKey pk = PaillierPublicKey.of(n, hs, exponentBits, policy);
    return new PaillierKeyPair(pk, PaillierPrivateKey.of(pk, p, q));
  }

  private static BigInteger blumPrime(int bits, SecureRandom random) {
    while (true) {
      BigInteger candidate = new BigInteger(bits, PRIME_CERTAINTY, random);
      if (candidate.testBit(0) && candidate.testBit(1)) { // ≡ 3 (mod 4)
        return candidate;
      }
    }
  }
}
