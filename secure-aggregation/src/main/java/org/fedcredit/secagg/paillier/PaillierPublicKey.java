package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Paillier public key in Damgård–Jurik–Nielsen form: the modulus {@code n}, the generator {@code
 * g = n + 1} (implicit), and the fixed encryption base {@code h_s = h^n mod n²} with which a
 * ciphertext is {@code (1 + m·n)·h_s^x mod n²} for a short random {@code x} of {@link
 * #exponentBits()} bits.
 *
 * <p>Immutable; validated on construction (size floor, range of {@code h_s}). The {@link #keyId()}
 * (first 16 bytes of SHA-256 over {@code n}, hex) names the key in every message and log entry.
 */
public final class PaillierPublicKey {

  private final BigInteger n;
  private final BigInteger nSquared;
  private final BigInteger hs;
  private final int exponentBits;
  private final String keyId;

  private PaillierPublicKey(BigInteger n, BigInteger hs, int exponentBits) {
    this.n = n;
    this.nSquared = n.multiply(n);
    this.hs = hs;
    this.exponentBits = exponentBits;
    this.keyId = keyIdOf(n);
  }

  /**
   * Validates and creates a public key.
   *
   * @throws PaillierException if {@code n} is below the policy floor, even, or {@code h_s} is not a
   *     unit in {@code (1, n²)}, or the exponent is shorter than twice the security level
   */
  public static PaillierPublicKey of(
      BigInteger n, BigInteger hs, int exponentBits, KeySizePolicy policy) {
    Objects.requireNonNull(n, "n");
    Objects.requireNonNull(hs, "h_s");
    Objects.requireNonNull(policy, "policy");
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new PaillierException("Paillier modulus n must be a positive odd number");
    }
    policy.check(n.bitLength());
    BigInteger nSquared = n.multiply(n);
    if (hs.compareTo(BigInteger.ONE) <= 0 || hs.compareTo(nSquared) >= 0) {
      throw new PaillierException("h_s must lie in (1, n²); the key file is corrupt");
    }
    if (!hs.gcd(n).equals(BigInteger.ONE)) {
      throw new PaillierException("h_s shares a factor with n; the key file is corrupt");
    }
    int minExponent = 2 * KeySizePolicy.securityBits(n.bitLength());
    if (exponentBits < minExponent || exponentBits > n.bitLength()) {
      throw new PaillierException(
          "encryption exponent of "
              + exponentBits
              + " bits is outside ["
              + minExponent
              + ", "
              + n.bitLength()
              + "] for a "
              + n.bitLength()
              + "-bit key");
    }
    return new PaillierPublicKey(n, hs, exponentBits);
  }

  static String keyIdOf(BigInteger n) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(n.toByteArray());
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The modulus {@code n}. */
  public BigInteger n() {
    return n;
  }

  /** {@code n²}, the ciphertext modulus. */
  public BigInteger nSquared() {
    return nSquared;
  }

  /** The DJN fixed base {@code h_s = h^n mod n²}. */
  public BigInteger hs() {
    return hs;
  }

  /** Length of the random encryption exponent: twice the security level (224 at n = 2048). */
  public int exponentBits() {
    return exponentBits;
  }

  /**
   * Returns {@code m} if it lies in the plaintext space {@code [0, n)}.
   *
   * @throws PaillierException otherwise, pointing to the fixed-point encoder for signed values
   */
  public BigInteger checkPlaintext(BigInteger m) {
    if (m.signum() < 0 || m.compareTo(n) >= 0) {
      throw new PaillierException(
          "plaintext out of range [0, n) for key "
              + keyId
              + "; encode signed values with FixedPointEncoder first");
    }
    return m;
  }

  /** Key size: the bit length of {@code n}. */
  public int bits() {
    return n.bitLength();
  }

  /** Bytes of one ciphertext in its fixed-width wire form. */
  public int ciphertextBytes() {
    return (nSquared.bitLength() + 7) / 8;
  }

  /** Hex of the first 16 bytes of SHA-256 over {@code n}'s two's-complement bytes. */
  public String keyId() {
    return keyId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierPublicKey k
        && n.equals(k.n)
        && hs.equals(k.hs)
        && exponentBits == k.exponentBits;
  }

  @Override
  public int hashCode() {
    return n.hashCode();
  }

  @Override
  public String toString() {
    return "PaillierPublicKey[" + bits() + " bits, id " + keyId + "]";
  }

  /** A stable description for logs: scheme, size, exponent, id. */
  public String describe() {
    return "paillier-djn n=" + bits() + " bits, exponent=" + exponentBits + " bits, key " + keyId;
  }
}
