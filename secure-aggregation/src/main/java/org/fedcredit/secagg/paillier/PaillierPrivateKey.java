package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The factorisation {@code n = p·q} (both primes {@code ≡ 3 mod 4}, of equal length) and the CRT
 * constants for decryption and key-owner encryption. Stays in the key owner's process.
 */
public final class PaillierPrivateKey {

  private final PaillierPublicKey publicKey;
  private final BigInteger p;
  private final BigInteger q;
  final BigInteger pSquared;
  final BigInteger qSquared;
  final BigInteger pMinusOne;
  final BigInteger qMinusOne;

  /**
   * {@code hp = (L_p(g^(p−1) mod p²))⁻¹ mod p} with {@code g = n + 1}, i.e. {@code (−q)⁻¹ mod p}.
   */
  final BigInteger hp;

  final BigInteger hq;

  /** {@code q⁻¹ mod p}, for recombining plaintexts. */
  final BigInteger qInverseModP;

  /** {@code (q²)⁻¹ mod p²}, for the key owner's CRT encryption. */
  final BigInteger qSquaredInverseModPSquared;

  private PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    this.publicKey = publicKey;
    this.p = p;
    this.q = q;
    this.pSquared = p.multiply(p);
    this.qSquared = q.multiply(q);
    this.pMinusOne = p.subtract(BigInteger.ONE);
    this.qMinusOne = q.subtract(BigInteger.ONE);
    this.hp = q.negate().mod(p).modInverse(p);
    this.hq = p.negate().mod(q).modInverse(q);
    this.qInverseModP = q.modInverse(p);
    this.qSquaredInverseModPSquared = qSquared.modInverse(pSquared);
  }

  /**
   * Creates a private key from its primes, checking that they factor the public modulus.
   *
   * @throws PaillierException if {@code p·q ≠ n} or the primes are not distinct
   */
  public static PaillierPrivateKey of(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (p.equals(q) || !p.multiply(q).equals(publicKey.n())) {
      throw new PaillierException(
          "the private key's primes do not factor the public modulus of key " + publicKey.keyId());
    }
    // Keep p > q so that serialisation is canonical.
    return p.compareTo(q) > 0
        ? new PaillierPrivateKey(publicKey, p, q)
        : new PaillierPrivateKey(publicKey, q, p);
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  public BigInteger p() {
    return p;
  }

  public BigInteger q() {
    return q;
  }

  /** {@code λ = lcm(p−1, q−1)}, e.g. for handing the key to another Paillier library in tests. */
  public BigInteger totient() {
    return pMinusOne.multiply(qMinusOne);
  }

  /** The textbook CRT decryption {@code c ↦ m ∈ [0, n)}; {@code c} must be a canonical residue. */
  BigInteger decryptRaw(BigInteger c) {
    BigInteger mp = lFunction(c.mod(pSquared).modPow(pMinusOne, pSquared), p).multiply(hp).mod(p);
    BigInteger mq = lFunction(c.mod(qSquared).modPow(qMinusOne, qSquared), q).multiply(hq).mod(q);
    // m = mq + q·((mp − mq)·q⁻¹ mod p)
    return mp.subtract(mq).multiply(qInverseModP).mod(p).multiply(q).add(mq);
  }

  private static BigInteger lFunction(BigInteger u, BigInteger prime) {
    return u.subtract(BigInteger.ONE).divide(prime);
  }

  @Override
  public String toString() {
    return "PaillierPrivateKey[" + publicKey.bits() + " bits, id " + publicKey.keyId() + "]";
  }
}
