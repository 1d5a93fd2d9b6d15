package org.fedcredit.modelzoo.secureboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeBinningTest {

  @Test
  void quantileBinsAreBalancedAndCapped() {
    Random r = new Random(3);
    double[][] rows = new double[1000][1];
    for (double[] row : rows) {
      row[0] = r.nextGaussian();
    }
    TreeBinning b = TreeBinning.fit(List.of("x"), rows, 8);
    BinnedTable t = b.apply(rows);
    assertThat(t.binCounts()).containsExactly(8);
    int[] counts = new int[8];
    for (int[] row : t.bins()) {
      counts[row[0]]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(115, 135);
    }
  }

  @Test
  void fewDistinctValuesGetOneBinEachAndNanIsMissing() {
    double[][] rows = {{3}, {1}, {2}, {1}, {Double.NaN}, {3}};
    TreeBinning b = TreeBinning.fit(List.of("x"), rows, 32);
    assertThat(b.bins(0)).isEqualTo(3);
    BinnedTable t = b.apply(rows);
    assertThat(t.bins()).isDeepEqualTo(new int[][] {{2}, {0}, {1}, {0}, {-1}, {2}});
    // Unseen values: below the minimum → first bin, above the maximum → last, between → upper.
    BinnedTable u = b.apply(new double[][] {{-5}, {1.5}, {9}, {Double.NaN}});
    assertThat(u.bins()).isDeepEqualTo(new int[][] {{0}, {1}, {2}, {BinnedTable.MISSING}});
  }

  @Test
  void rejectsTooFewBinsAndRaggedRows() {
    assertThatThrownBy(() -> TreeBinning.fit(List.of("x"), new double[][] {{1}}, 1))
        .hasMessageContaining("maxBins");
    TreeBinning b = TreeBinning.fit(List.of("x"), new double[][] {{1}, {2}}, 4);
    assertThatThrownBy(() -> b.apply(new double[][] {{1, 2}}))
        .hasMessageContaining("row 0 has 2 values");
  }
}
