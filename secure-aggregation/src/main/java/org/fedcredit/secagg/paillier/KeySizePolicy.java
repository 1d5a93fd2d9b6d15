package org.fedcredit.secagg.paillier;

/**
 * The smallest Paillier modulus FedCredit accepts, in bits. The default floor is 2048 (112-bit
 * security, NIST SP 800-57); it can be raised (e.g. 3072 for 128-bit security) but never lowered
 * below 2048.
 *
 * @param minBits the floor; at least 2048
 */
public record KeySizePolicy(int minBits) {

  /** The absolute minimum: 2048 bits. */
  public static final int ABSOLUTE_MIN_BITS = 2048;

  /** The default policy: 2048-bit floor. */
  public static final KeySizePolicy DEFAULT = new KeySizePolicy(ABSOLUTE_MIN_BITS);

  public KeySizePolicy {
    if (minBits < ABSOLUTE_MIN_BITS) {
      throw new PaillierException(
          "the Paillier key floor cannot be below "
              + ABSOLUTE_MIN_BITS
              + " bits (asked for "
              + minBits
              + "); use 2048, 3072 or 4096");
    }
  }

  /** Throws a {@link PaillierException} naming both sizes when {@code bits} is below the floor. */
  public void check(int bits) {
    if (bits < minBits) {
      throw new PaillierException(
          "Paillier key of "
              + bits
              + " bits is below the floor of "
              + minBits
              + " bits; generate a key of at least "
              + minBits
              + " bits (2048, 3072 or 4096)");
    }
  }

  /**
   * Security level in bits for a modulus size (NIST SP 800-57 Part 1, Table 2): 112 below 3072
   * bits, 128 below 7680, 192 below 15360, 256 above.
   */
  public static int securityBits(int modulusBits) {
    if (modulusBits < 3072) {
      return 112;
    }
    if (modulusBits < 7680) {
      return 128;
    }
    if (modulusBits < 15360) {
      return 192;
    }
    return 256;
  }
}
