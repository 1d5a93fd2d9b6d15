package org.fedcredit.modelzoo.lr;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.protocols.lr.v1.PlainIntegers;

/** Local arithmetic shared by the roles: partial scores, fixed-point columns, masks, tags. */
final class LrMath {

  private LrMath() {}

  static String tag(int epoch, int batch, String name) {
    return "lr/" + epoch + "/" + batch + "/" + name;
  }

  /** {@code X·w} over the batch rows (plus the intercept when given). */
  static double[] partialScores(LocalTable t, int[] rows, double[] w, double intercept) {
    double[] u = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      double s = intercept;
      for (int j = 0; j < w.length; j++) {
        s += t.value(rows[r], j) * w[j];
      }
      u[r] = s;
    }
    return u;
  }

  /** The batch's feature columns as fixed-point integers {@code round(x·2^scale)}. */
  static long[][] fixedColumns(LocalTable t, int[] rows, int scaleBits, boolean withIntercept) {
    int d = t.features() + (withIntercept ? 1 : 0);
    long[][] cols = new long[d][rows.length];
    double scale = Math.scalb(1.0, scaleBits);
    for (int j = 0; j < t.features(); j++) {
      for (int r = 0; r < rows.length; r++) {
        cols[j][r] = Math.round(t.value(rows[r], j) * scale);
      }
    }
    if (withIntercept) {
      java.util.Arrays.fill(cols[d - 1], Math.round(scale));
    }
    return cols;
  }

  /** A uniformly random mask in {@code [0, 2^bits)} per value. */
  static BigInteger[] masks(int count, int bits, SecureRandom random) {
    BigInteger[] r = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      r[i] = new BigInteger(bits, random);
    }
    return r;
  }

  /** Signed value of {@code x ∈ [0, n)} (values above n/2 are negative). */
  static BigInteger signed(BigInteger x, BigInteger n) {
    return x.compareTo(n.shiftRight(1)) > 0 ? x.subtract(n) : x;
  }

  static PlainIntegers plain(BigInteger[] values) {
    PlainIntegers.Builder b = PlainIntegers.newBuilder();
    for (BigInteger v : values) {
      b.addValues(ByteString.copyFrom(v.toByteArray()));
    }
    return b.build();
  }

  static BigInteger[] plain(PlainIntegers p) {
    BigInteger[] out = new BigInteger[p.getValuesCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new BigInteger(p.getValues(i).toByteArray());
    }
    return out;
  }

  /** Receives an encrypted vector and validates it against the job's key (index-precise errors). */
  static org.fedcredit.secagg.paillier.EncryptedVector receiveVector(
      org.fedcredit.modelzoo.federation.Federation fed,
      org.fedcredit.modelzoo.federation.PartyId from,
      String tag,
      org.fedcredit.secagg.paillier.PaillierPublicKey key) {
    return org.fedcredit.secagg.paillier.EncryptedVector.fromProto(
        fed.receive(from, tag, org.fedcredit.protocols.paillier.v1.EncryptedVector.class), key);
  }

  /** Fails with a clear message if the table has a missing value: LR needs imputed inputs. */
  static void requireComplete(LocalTable t) {
    for (int j = 0; j < t.features(); j++) {
      for (int i = 0; i < t.rows(); i++) {
        if (Double.isNaN(t.value(i, j))) {
          throw new IllegalArgumentException(
              t.source()
                  + ": column "
                  + t.featureNames().get(j)
                  + " is missing at row "
                  + t.ids().get(i)
                  + "; configure missing-value imputation for this party");
        }
      }
    }
  }
}
