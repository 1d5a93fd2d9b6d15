package org.fedcredit.secagg.modmul;

import java.math.BigInteger;

/**
 * Arithmetic modulo one fixed odd modulus, with elements kept in a kernel-specific internal form
 * {@code E} (Montgomery {@code int[]} or plain {@link BigInteger}).
 *
 * <p>Every implementation returns canonical residues in {@code [0, m)} from {@link #toBigInteger},
 * so two kernels give bit-identical results for the same computation.
 *
 * <p>{@link #load} is a cheap conversion that skips the domain change: it returns the element that
 * represents {@code x · ρ⁻¹ mod m}, where {@code ρ = }{@link #domainFactor()} ({@code R =
 * 2^(32·len)} for Montgomery, 1 for Barrett). Multi-exponentiation uses it to avoid one product per
 * term and corrects the result once with {@code ρ^(Σ eᵢ)}.
 *
 * @param <E> the internal element form; immutable by contract (never mutate a value you were given)
 */
public interface ModularArithmetic<E> {

  /** The odd modulus {@code m}. */
  BigInteger modulus();

  /** Converts {@code x ∈ [0, m)} into the internal form. */
  E fromBigInteger(BigInteger x);

  /** The canonical residue in {@code [0, m)} that {@code x} represents. */
  BigInteger toBigInteger(E x);

  /** The internal element representing {@code x · ρ⁻¹ mod m}, for {@code x ∈ [0, m)}. */
  E load(BigInteger x);

  /** The element's internal bits read back as a number, i.e. the inverse of {@link #load}. */
  BigInteger unload(E x);

  /** {@code ρ mod m}: see {@link #load}. */
  BigInteger domainFactor();

  /** {@code a·b mod m} for plain (not internal-form) values {@code a, b ∈ [0, m)}. */
  default BigInteger multiplyPlain(BigInteger a, BigInteger b) {
    return a.multiply(b).mod(modulus());
  }

  /** {@code x mod m} for a plain value {@code 0 ≤ x < m²}. */
  default BigInteger reduce(BigInteger x) {
    return x.mod(modulus());
  }

  /** The multiplicative identity. */
  E one();

  /** {@code a · b mod m}. */
  E multiply(E a, E b);

  /** {@code a² mod m}. */
  E square(E a);

  /**
   * {@code base^e mod m} for {@code e ≥ 0}, left-to-right with a fixed window sized to the exponent
   * (binary up to 32 bits, where a table would cost more than it saves). Not constant-time.
   */
  default E pow(E base, BigInteger e) {
    if (e.signum() < 0) {
      throw new IllegalArgumentException("negative exponent " + e + "; invert the base first");
    }
    if (e.signum() == 0) {
      return one();
    }
    int bits = e.bitLength();
    int w = bits <= 32 ? 1 : bits <= 128 ? 3 : bits <= 512 ? 4 : 5;
    @SuppressWarnings("unchecked")
    E[] table = (E[]) new Object[1 << w];
    table[1] = base;
    for (int i = 2; i < table.length; i++) {
      table[i] = multiply(table[i - 1], base);
    }
    int top = ((bits + w - 1) / w) * w;
    E acc = null;
    for (int pos = top - w; pos >= 0; pos -= w) {
      int digit = 0;
      for (int b = w - 1; b >= 0; b--) {
        digit = (digit << 1) | (e.testBit(pos + b) ? 1 : 0);
      }
      if (acc != null) {
        for (int s = 0; s < w; s++) {
          acc = square(acc);
        }
      }
      if (digit != 0) {
        acc = acc == null ? table[digit] : multiply(acc, table[digit]);
      }
    }
    return acc == null ? one() : acc;
  }
}
