package org.fedcredit.bench.paillier;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * What both implementations share: one key (generated once), the same key in javallier's form, a
 * pool of ciphertexts of known plaintexts, and the correctness checks.
 *
 * <p>Each implementation's outputs are decrypted by the <em>other</em> implementation, so an
 * implementation whose encryption and decryption are wrong in the same way cannot pass.
 */
final class Fixture implements AutoCloseable {

  /** Plaintexts and coefficients come from this seed, so both implementations see the same data. */
  private static final long SEED = 0x5eedL;

  private static final int CHECKED_POOL_ENTRIES = 8;

  final PaillierKeyPair keys;
  final BigInteger n;
  final com.n1analytics.paillier.PaillierPublicKey theirPublic;
  final com.n1analytics.paillier.PaillierPrivateKey theirPrivate;
  private final PaillierEngine checker;
  private final BigInteger[] poolCiphertexts;
  private final BigInteger[] poolPlaintexts;

  private Fixture(PaillierKeyPair keys, int poolSize) {
    this.keys = keys;
    this.n = keys.publicKey().n();
    this.theirPublic = new com.n1analytics.paillier.PaillierPublicKey(n);
    this.theirPrivate =
        new com.n1analytics.paillier.PaillierPrivateKey(theirPublic, keys.privateKey().totient());
    this.checker =
        PaillierEngine.forKeyOwner(
            keys.privateKey(), PaillierEngine.Options.defaults().withThreads(1));
    Random random = new Random(SEED);
    this.poolPlaintexts = new BigInteger[poolSize];
    this.poolCiphertexts = new BigInteger[poolSize];
    for (int i = 0; i < poolSize; i++) {
      poolPlaintexts[i] = uniformBelow(n, random);
      poolCiphertexts[i] = checker.toBigInteger(checker.encrypt(poolPlaintexts[i]));
    }
    for (int i : sample(poolSize, CHECKED_POOL_ENTRIES)) {
      expectJavallierDecrypts(poolCiphertexts[i], poolPlaintexts[i], "input pool entry " + i);
    }
  }

  /** Generates a key of {@code keyBits} bits and a pool of {@code poolSize} ciphertexts. */
  static Fixture create(int keyBits, int poolSize, Consumer<String> progress) {
    progress.accept("generating a " + keyBits + "-bit Paillier key (once, shared by both)");
    PaillierKeyPair keys = PaillierKeyPair.generate(keyBits);
    progress.accept("encrypting an input pool of " + poolSize + " ciphertexts");
    return new Fixture(keys, poolSize);
  }

  /**
   * The inputs of {@code op}: {@code size} operations, or {@code size} rows × {@code columns}
   * columns for the matrix products. The same {@code (op, size)} always gives the same data.
   */
  Workload workload(Op op, int size, int columnCount) {
    Random random = new Random(SEED * 31 + op.ordinal());
    int pool = poolCiphertexts.length;
    switch (op) {
      case ENCRYPT:
      case ENCRYPT_OWNER:
        {
          BigInteger[] m = new BigInteger[size];
          for (int i = 0; i < size; i++) {
            m[i] = uniformBelow(n, random);
          }
          return new Workload.Encrypt(m);
        }
      case DECRYPT:
        {
          BigInteger[] c = new BigInteger[size];
          BigInteger[] m = new BigInteger[size];
          for (int i = 0; i < size; i++) {
            c[i] = poolCiphertexts[i % pool];
            m[i] = poolPlaintexts[i % pool];
          }
          return new Workload.Decrypt(c, m);
        }
      case ADD:
        {
          BigInteger[] a = new BigInteger[size];
          BigInteger[] b = new BigInteger[size];
          BigInteger[] ma = new BigInteger[size];
          BigInteger[] mb = new BigInteger[size];
          for (int i = 0; i < size; i++) {
            int j = random.nextInt(pool);
            int k = random.nextInt(pool);
            a[i] = poolCiphertexts[j];
            ma[i] = poolPlaintexts[j];
            b[i] = poolCiphertexts[k];
            mb[i] = poolPlaintexts[k];
          }
          return new Workload.Add(a, b, ma, mb);
        }
      case MUL16:
        {
          BigInteger[] c = new BigInteger[size];
          BigInteger[] m = new BigInteger[size];
          long[] k = new long[size];
          for (int i = 0; i < size; i++) {
            int j = random.nextInt(pool);
            c[i] = poolCiphertexts[j];
            m[i] = poolPlaintexts[j];
            k[i] = 1 + random.nextInt((1 << 16) - 1);
          }
          return new Workload.Multiply(c, m, k);
        }
      case MULTIEXP16:
      case MULTIEXP53:
        {
          BigInteger[] d = new BigInteger[size];
          BigInteger[] m = new BigInteger[size];
          for (int i = 0; i < size; i++) {
            d[i] = poolCiphertexts[i % pool];
            m[i] = poolPlaintexts[i % pool];
          }
          long bound = 1L << op.coefficientBits();
          long[][] columns = new long[columnCount][size];
          for (long[] column : columns) {
            boolean[] negative = balancedSigns(size, random);
            for (int i = 0; i < size; i++) {
              long magnitude = Math.floorMod(random.nextLong(), bound); // [0, 2^bits)
              column[i] = negative[i] ? -magnitude : magnitude;
            }
          }
          return new Workload.MatrixProduct(d, m, columns);
        }
    }
    throw new AssertionError(op);
  }

  /** Checks a FedCredit output by decrypting it with javallier. */
  void expectJavallierDecrypts(BigInteger ciphertext, BigInteger expected, String where) {
    expect(theirPrivate.raw_decrypt(ciphertext), expected, "fedcredit " + where, "javallier");
  }

  /** Checks a javallier output by decrypting it with FedCredit. */
  void expectFedCreditDecrypts(BigInteger ciphertext, BigInteger expected, String where) {
    BigInteger plain;
    try {
      plain = checker.decrypt(checker.fromBigInteger(ciphertext));
    } catch (RuntimeException e) {
      throw new BenchmarkFailedException(
          "javallier " + where + ": output is not a valid ciphertext (" + e.getMessage() + ")");
    }
    expect(plain, expected, "javallier " + where, "fedcredit");
  }

  /** Checks a decryption result. */
  void expectPlaintext(BigInteger actual, BigInteger expected, String where) {
    expect(actual, expected, where, "the plaintext arithmetic");
  }

  private void expect(BigInteger actual, BigInteger expected, String where, String checkedBy) {
    BigInteger want = expected.mod(n);
    if (!want.equals(actual)) {
      throw new BenchmarkFailedException(
          where
              + " is wrong: decrypts (by "
              + checkedBy
              + ") to "
              + abbreviate(actual)
              + ", expected "
              + abbreviate(want)
              + "; the numbers of this run are void");
    }
  }

  /** {@code Σᵢ columns[j][i]·m[i] mod n}. */
  BigInteger dot(long[] column, BigInteger[] m) {
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < column.length; i++) {
      acc = acc.add(BigInteger.valueOf(column[i]).multiply(m[i]));
    }
    return acc.mod(n);
  }

  /** Up to {@code count} distinct indices in {@code [0, size)}, spread over the batch. */
  static int[] sample(int size, int count) {
    if (size <= count) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] idx = new int[count];
    for (int k = 0; k < count; k++) {
      idx[k] = (int) ((long) (size - 1) * k / (count - 1));
    }
    return idx;
  }

  /**
   * Exactly {@code ⌊size/2⌋} negatives in random positions. javallier pays a full-length
   * exponentiation per negative coefficient, so with its small batches independent coin flips would
   * swing its per-term figure by ±15% from one op to the other.
   */
  private static boolean[] balancedSigns(int size, Random random) {
    boolean[] negative = new boolean[size];
    for (int i = 0; i < size / 2; i++) {
      negative[i] = true;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      boolean t = negative[i];
      negative[i] = negative[j];
      negative[j] = t;
    }
    return negative;
  }

  private static BigInteger uniformBelow(BigInteger bound, Random random) {
    BigInteger x;
    do {
      x = new BigInteger(bound.bitLength(), random);
    } while (x.compareTo(bound) >= 0);
    return x;
  }

  private static String abbreviate(BigInteger x) {
    String s = x.toString(16);
    return s.length() <= 20
        ? "0x" + s
        : "0x" + s.substring(0, 16) + "…(" + x.bitLength() + " bits)";
  }

  @Override
  public void close() {
    checker.close();
  }
}
