package org.fedcredit.bench.paillier;

/**
 * The operations {@link PaillierBenchmark} measures, with the names they carry in the JSON output.
 * Rate operations report {@code ops_per_s}; the two matrix products report {@code us_per_term}, the
 * time of {@code Xᵀ·[[d]]} divided by the number of terms {@code N·d}.
 */
public enum Op {
  /** Public-key encryption of random plaintexts in {@code [0, n)}. */
  ENCRYPT("encrypt", false),
  /** Encryption by the key owner (FedCredit: CRT; javallier has no such path). */
  ENCRYPT_OWNER("encrypt_owner", false),
  /** CRT decryption. */
  DECRYPT("decrypt", false),
  /** Ciphertext + ciphertext. */
  ADD("add", false),
  /** Ciphertext × a random unsigned 16-bit scalar. */
  MUL16("mul16", false),
  /** {@code Xᵀ·[[d]]} with signed coefficients of magnitude below 2¹⁶. */
  MULTIEXP16("multiexp16_per_term_us", true),
  /** {@code Xᵀ·[[d]]} with signed coefficients of magnitude below 2⁵³. */
  MULTIEXP53("multiexp53_per_term_us", true);

  private final String jsonName;
  private final boolean perTerm;

  Op(String jsonName, boolean perTerm) {
    this.jsonName = jsonName;
    this.perTerm = perTerm;
  }

  /** The name in the JSON output and the table. */
  public String jsonName() {
    return jsonName;
  }

  /** True for the matrix products (reported in µs per term, lower is better). */
  public boolean perTerm() {
    return perTerm;
  }

  /** Coefficient magnitude bits of a matrix product; 16 for {@link #MUL16}'s scalars. */
  int coefficientBits() {
    return this == MULTIEXP53 ? 53 : 16;
  }
}
