package org.fedcredit.bench.paillier;

import java.math.BigInteger;

/**
 * The inputs of one batch, in canonical (wire) form so that both implementations receive the same
 * values; each implementation imports them into its own form before the clock starts. Plaintexts
 * travel with their ciphertexts so that outputs can be checked.
 */
sealed interface Workload {

  /** Operations (or terms) in one run, to turn elapsed time into a rate. */
  long units();

  /** Plaintexts to encrypt, uniform in {@code [0, n)}. */
  record Encrypt(BigInteger[] plaintexts) implements Workload {
    @Override
    public long units() {
      return plaintexts.length;
    }
  }

  /** Ciphertexts to decrypt and what they decrypt to. */
  record Decrypt(BigInteger[] ciphertexts, BigInteger[] plaintexts) implements Workload {
    @Override
    public long units() {
      return ciphertexts.length;
    }
  }

  /** Pairs to add: {@code a[i] + b[i]}, of plaintexts {@code ma[i] + mb[i]}. */
  record Add(BigInteger[] a, BigInteger[] b, BigInteger[] ma, BigInteger[] mb) implements Workload {
    @Override
    public long units() {
      return a.length;
    }
  }

  /** {@code k[i]·c[i]} with {@code c[i]} encrypting {@code m[i]}; scalars in {@code [1, 2¹⁶)}. */
  record Multiply(BigInteger[] c, BigInteger[] m, long[] k) implements Workload {
    @Override
    public long units() {
      return c.length;
    }
  }

  /**
   * {@code Xᵀ·[[d]]}: {@code d[i]} encrypts {@code m[i]}; {@code columns[j][i]} is the signed
   * coefficient of row {@code i} in column {@code j}; half of every column is negative.
   */
  record MatrixProduct(BigInteger[] d, BigInteger[] m, long[][] columns) implements Workload {
    @Override
    public long units() {
      return (long) d.length * columns.length;
    }
  }
}
