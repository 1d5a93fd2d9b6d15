package org.fedcredit.modelzoo.stats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.secagg.encoding.PackingScheme;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.EncodingDescriptor;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Pooled credit statistics across institutions that hold the same columns for different enterprises
 * (a horizontal split), without any institution revealing its own.
 *
 * <p>Protocol (three roles; the message table is in docs/protocols/secure-pooled-statistics.md):
 *
 * <ol>
 *   <li>The key holder (coordinator) makes a fresh Paillier key and sends the public key.
 *   <li>Each data party computes its local sums {@code [rows, Σy, Σxⱼ…, Σxⱼ²…, Σxⱼ·y…]}, packs them
 *       (several fixed-point values per plaintext) and encrypts: {@link #encryptLocalSums}.
 *   <li>One data party, the aggregator, which does not hold the key, adds the encrypted vectors and
 *       re-randomises the result: {@link #aggregate}.
 *   <li>The key holder decrypts only that total: {@link #decryptPooled}.
 * </ol>
 *
 * <p>Under the non-collusion assumption of DESIGN.md §2, the key holder learns only the pooled sums
 * (the intended output) and the aggregator learns nothing but ciphertexts.
 */
public final class SecurePooledStatistics {

  private SecurePooledStatistics() {}

  /** Number of values in a sums vector for {@code features} columns. */
  public static int vectorLength(int features) {
    return 2 + 3 * features;
  }

  /**
   * The plaintext local sums {@code [rows, Σy, Σxⱼ, Σxⱼ², Σxⱼ·y]} of a labelled table.
   *
   * @throws IllegalArgumentException if the table has no labels or a missing value
   */
  public static double[] localSums(LocalTable t) {
    if (!t.hasLabels()) {
      throw new IllegalArgumentException(t.source() + ": pooled statistics need a label column");
    }
    int d = t.features();
    double[] s = new double[vectorLength(d)];
    s[0] = t.rows();
    for (int i = 0; i < t.rows(); i++) {
      int y = t.label(i);
      s[1] += y;
      for (int j = 0; j < d; j++) {
        double x = t.value(i, j);
        if (Double.isNaN(x)) {
          throw new IllegalArgumentException(
              t.source()
                  + ": row "
                  + t.ids().get(i)
                  + ", column "
                  + t.featureNames().get(j)
                  + " is missing; pooled statistics need complete columns");
        }
        s[2 + j] += x;
        s[2 + d + j] += x * x;
        s[2 + 2 * d + j] += x * y;
      }
    }
    return s;
  }

  /** Data party: packs and encrypts its local sums under the key holder's public key. */
  public static EncryptedVector encryptLocalSums(
      LocalTable t, PaillierEngine engine, PackingScheme scheme) {
    double[] sums = localSums(t);
    Ciphertext[] cs = engine.encrypt(scheme.pack(sums));
    return engine.toWire(cs, descriptor(scheme, sums.length));
  }

  /** Aggregator: adds the parties' encrypted vectors and re-randomises the total. */
  public static EncryptedVector aggregate(List<EncryptedVector> parts, PaillierEngine engine) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to aggregate");
    }
    EncryptedVector first = parts.get(0);
    Ciphertext[] acc = engine.fromWire(first);
    for (EncryptedVector v : parts.subList(1, parts.size())) {
      if (v.size() != first.size() || !v.encoding().equals(first.encoding())) {
        throw new IllegalArgumentException(
            "encrypted vectors disagree in length or encoding: "
                + v.size()
                + " vs "
                + first.size());
      }
      acc = engine.add(acc, engine.fromWire(v));
    }
    return engine.toWire(engine.rerandomize(acc), first.encoding());
  }

  /** Key holder: decrypts the aggregate of {@code parties} vectors into pooled statistics. */
  public static PooledStatistics decryptPooled(
      EncryptedVector total,
      int parties,
      PaillierEngine owner,
      PackingScheme scheme,
      List<String> featureNames) {
    BigInteger[] plain = owner.decrypt(owner.fromWire(total));
    double[] sums = scheme.unpack(plain, (int) total.encoding().valueCount(), parties);
    return PooledStatistics.fromSums(sums, featureNames);
  }

  private static EncodingDescriptor descriptor(PackingScheme s, int values) {
    return new EncodingDescriptor(
        s.scaleBits(), s.slots(), s.slotBits(), s.offset(), s.summands(), values);
  }

  /** One feature's pooled mean, standard deviation and Pearson correlation with the label. */
  public record FeatureStatistic(String name, double mean, double std, double labelCorrelation) {}

  /** The pooled result. */
  public record PooledStatistics(long rows, long positives, List<FeatureStatistic> features) {

    public double positiveRate() {
      return rows == 0 ? 0 : (double) positives / rows;
    }

    /** Derives statistics from a sums vector ({@link #localSums} layout). */
    public static PooledStatistics fromSums(double[] s, List<String> names) {
      int d = names.size();
      if (s.length != vectorLength(d)) {
        throw new IllegalArgumentException(
            "sums vector has " + s.length + " values, expected " + vectorLength(d));
      }
      double n = s[0];
      double sy = s[1];
      double meanY = sy / n;
      double varY = meanY - meanY * meanY;
      List<FeatureStatistic> out = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        double mean = s[2 + j] / n;
        double var = Math.max(0, s[2 + d + j] / n - mean * mean);
        double cov = s[2 + 2 * d + j] / n - mean * meanY;
        double corr = var > 0 && varY > 0 ? cov / Math.sqrt(var * varY) : 0;
        out.add(new FeatureStatistic(names.get(j), mean, Math.sqrt(var), corr));
      }
      return new PooledStatistics(Math.round(n), Math.round(sy), out);
    }
  }
}
