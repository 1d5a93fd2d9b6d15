package org.fedcredit.secagg.paillier;

import java.math.BigInteger;

/**
 * Additively homomorphic arithmetic on values in {@code Z_n}: the seam the protocols compute
 * through. {@link PaillierEngine} is the real one; {@link PlaintextEngine} computes the same
 * results without encryption, for fast simulation and for checking that encryption changes nothing
 * (it is insecure and says so in its effective parameters and on the wire).
 *
 * <p>All values are integers in {@code [0, n)} for the key's {@code n}; signed fixed-point encoding
 * is the caller's (see {@code org.fedcredit.secagg.encoding}).
 */
public interface HomomorphicEngine extends AutoCloseable {

  PaillierPublicKey publicKey();

  boolean isKeyOwner();

  /** What is actually used (scheme, key size, kernel...), for logs and the audit trail. */
  EffectiveParameters effectiveParameters();

  Ciphertext encrypt(BigInteger m);

  Ciphertext encrypt(long m);

  Ciphertext[] encrypt(BigInteger[] ms);

  Ciphertext rerandomize(Ciphertext c);

  Ciphertext[] rerandomize(Ciphertext[] cs);

  BigInteger decrypt(Ciphertext c);

  BigInteger[] decrypt(Ciphertext[] cs);

  Ciphertext add(Ciphertext a, Ciphertext b);

  Ciphertext[] add(Ciphertext[] a, Ciphertext[] b);

  Ciphertext addPlaintext(Ciphertext a, BigInteger k);

  Ciphertext negate(Ciphertext a);

  Ciphertext subtract(Ciphertext a, Ciphertext b);

  Ciphertext multiply(Ciphertext a, BigInteger k);

  Ciphertext multiply(Ciphertext a, long k);

  /**
   * {@code [[2^bits·a]]}: the same ciphertext as {@code multiply(a, 2^bits)}, which an engine may
   * compute more cheaply (Paillier: {@code bits} squarings instead of a windowed exponentiation).
   * For shifting packed slots.
   */
  default Ciphertext shiftLeft(Ciphertext a, int bits) {
    if (bits < 0) {
      throw new IllegalArgumentException("cannot shift by " + bits + " bits");
    }
    return multiply(a, BigInteger.ONE.shiftLeft(bits));
  }

  Ciphertext[] multiply(Ciphertext[] a, long[] k);

  Ciphertext sum(Ciphertext[] cs);

  /** {@code Xᵀ·[[d]]}: output j is {@code [[Σᵢ columns[j][i]·dᵢ]]}. */
  Ciphertext[] multiplyMatrix(Ciphertext[] d, long[][] columns);

  /** The wire value of one ciphertext (a residue mod n²). */
  BigInteger toBigInteger(Ciphertext c);

  Ciphertext fromBigInteger(BigInteger c);

  EncryptedVector toWire(Ciphertext[] cs, EncodingDescriptor encoding);

  Ciphertext[] fromWire(EncryptedVector v);

  @Override
  void close();
}
