package org.fedcredit.modelzoo.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.stats.SecurePooledStatistics.PooledStatistics;
import org.fedcredit.secagg.encoding.PackingScheme;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyPair;
import org.junit.jupiter.api.Test;

class SecurePooledStatisticsTest {

  static LocalTable table(String name, int rows, long seed) {
    Random r = new Random(seed);
    List<String> ids = new ArrayList<>();
    double[][] cols = new double[2][rows];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      ids.add(name + i);
      cols[0][i] = r.nextGaussian();
      y[i] = r.nextDouble() < 0.3 ? 1 : 0;
      cols[1][i] = r.nextGaussian() + 2 * y[i];
    }
    return new LocalTable(name, ids, List.of("noise", "signal"), cols, y);
  }

  @Test
  void encryptedPoolingEqualsClearPoolingAndRevealsOnlyTheTotal() {
    PaillierKeyPair key = PaillierKeyPair.generate(2048);
    List<LocalTable> parties = List.of(table("a", 300, 1), table("b", 200, 2), table("c", 100, 3));
    PackingScheme scheme = PackingScheme.forBounds(key.publicKey().n(), 20, 1e6, 3);
    try (PaillierEngine pub =
            PaillierEngine.forPublicKey(key.publicKey(), PaillierEngine.Options.defaults());
        PaillierEngine owner =
            PaillierEngine.forKeyOwner(key.privateKey(), PaillierEngine.Options.defaults())) {
      List<EncryptedVector> sent = new ArrayList<>();
      double[] clear = new double[SecurePooledStatistics.vectorLength(2)];
      for (LocalTable t : parties) {
        sent.add(SecurePooledStatistics.encryptLocalSums(t, pub, scheme));
        double[] s = SecurePooledStatistics.localSums(t);
        for (int k = 0; k < s.length; k++) {
          clear[k] += s[k];
        }
      }
      EncryptedVector total = SecurePooledStatistics.aggregate(sent, pub);
      for (EncryptedVector v : sent) {
        assertThat(v.firstUnrandomised()).isEmpty();
      }
      assertThat(total.firstUnrandomised()).isEmpty();
      // The aggregate is re-randomised: not the plain product of the parts.
      BigInteger product = BigInteger.ONE;
      for (EncryptedVector v : sent) {
        product = product.multiply(v.get(0)).mod(key.publicKey().nSquared());
      }
      assertThat(total.get(0)).isNotEqualTo(product);

      PooledStatistics got =
          SecurePooledStatistics.decryptPooled(total, 3, owner, scheme, List.of("noise", "signal"));
      PooledStatistics want = PooledStatistics.fromSums(clear, List.of("noise", "signal"));
      assertThat(got.rows()).isEqualTo(600);
      assertThat(got.positives()).isEqualTo(want.positives());
      for (int j = 0; j < 2; j++) {
        assertThat(got.features().get(j).mean())
            .isCloseTo(want.features().get(j).mean(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(got.features().get(j).labelCorrelation())
            .isCloseTo(
                want.features().get(j).labelCorrelation(),
                org.assertj.core.data.Offset.offset(1e-6));
      }
      assertThat(got.features().get(1).labelCorrelation()).isGreaterThan(0.5);
      assertThat(Math.abs(got.features().get(0).labelCorrelation())).isLessThan(0.2);
    }
  }

  @Test
  void refusesTablesWithoutLabelsOrWithMissingValues() {
    LocalTable unlabelled =
        new LocalTable("u", List.of("1"), List.of("x"), new double[][] {{1}}, null);
    assertThatThrownBy(() -> SecurePooledStatistics.localSums(unlabelled))
        .hasMessageContaining("need a label column");
    LocalTable missing =
        new LocalTable(
            "m", List.of("1"), List.of("x"), new double[][] {{Double.NaN}}, new int[] {1});
    assertThatThrownBy(() -> SecurePooledStatistics.localSums(missing))
        .hasMessageContaining("row 1, column x is missing");
  }
}
