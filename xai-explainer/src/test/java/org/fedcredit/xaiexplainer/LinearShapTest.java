package org.fedcredit.xaiexplainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LinearShapTest {

  @Test
  void attributesWeightTimesDistanceFromTheMean() {
    LinearShap shap =
        new LinearShap(0.5, new double[] {2, -1}, new double[] {1, 3}, new int[] {0, 1}, 2);
    ShapValues s = shap.explain(new double[] {4, 1});
    assertThat(shap.baseValue()).isEqualTo(0.5 + 2 * 1 - 1 * 3);
    assertThat(s.contributions()).containsExactly(2 * (4 - 1), -1 * (1 - 3));
    assertThat(s.output()).isEqualTo(0.5 + 8 - 1);
    assertThat(s.additivityError()).isZero();
  }

  @Test
  void groupsOneHotColumnsUnderTheirRawColumnAndBlocksAParty() {
    List<String> columns =
        List.of(
            "bank:industry=catering",
            "bank:industry=logistics",
            "bank:loan_amount",
            "tax-bureau:vat_m1",
            "tax-bureau:tax_grade=A");
    FeatureGroups groups = FeatureGroups.of(columns, List.of("tax-bureau"));
    assertThat(groups.names()).containsExactly("bank:industry", "bank:loan_amount", "tax-bureau:*");
    assertThat(groups.groupOfColumn()).containsExactly(0, 0, 1, 2, 2);

    double[] w = {0.3, -0.2, 0.1, 0.5, -0.4};
    double[] mean = {0.2, 0.1, 0, 0, 0.3};
    double[] z = {1, 0, 1.5, -2, 1};
    ShapValues s = new LinearShap(-1, w, mean, groups).explain(z);
    assertThat(s.contribution(0)).isCloseTo(0.3 * 0.8 - 0.2 * -0.1, within(1e-15));
    assertThat(s.contribution(2)).isCloseTo(0.5 * -2 - 0.4 * 0.7, within(1e-15));
    assertThat(s.byName(groups.names())).containsOnlyKeys(groups.names());
  }

  @Property(tries = 200)
  void additivityHoldsTo1e9AndGroupsSumTheirColumns(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(30);
    int groups = 1 + r.nextInt(n);
    double[] w = new double[n];
    double[] mean = new double[n];
    double[] z = new double[n];
    int[] g = new int[n];
    for (int k = 0; k < n; k++) {
      w[k] = r.nextGaussian();
      mean[k] = r.nextGaussian();
      z[k] = 3 * r.nextGaussian();
      g[k] = r.nextInt(groups);
    }
    double intercept = r.nextGaussian();
    ShapValues s = new LinearShap(intercept, w, mean, g, groups).explain(z);
    double expected = intercept;
    for (int k = 0; k < n; k++) {
      expected += w[k] * z[k];
    }
    assertThat(s.output()).isCloseTo(expected, within(1e-12));
    assertThat(s.additivityError()).isLessThan(1e-9);
    // Grouping is additive: a group's φ is the sum of its columns' φ.
    ShapValues single = new LinearShap(intercept, w, mean, identity(n), n).explain(z);
    for (int h = 0; h < groups; h++) {
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += g[k] == h ? single.contribution(k) : 0;
      }
      assertThat(s.contribution(h)).isCloseTo(sum, within(1e-12));
    }
  }

  @Test
  void rejectsMismatchedInput() {
    assertThatThrownBy(() -> new LinearShap(0, new double[2], new double[1], new int[2], 1))
        .hasMessageContaining("one of each per model column");
    LinearShap shap = new LinearShap(0, new double[2], new double[2], new int[2], 1);
    assertThatThrownBy(() -> shap.explain(new double[3])).hasMessageContaining("3 columns");
    assertThatThrownBy(() -> shap.explain(new double[] {0, Double.NaN}))
        .hasMessageContaining("impute");
  }

  private static int[] identity(int n) {
    int[] g = new int[n];
    for (int k = 0; k < n; k++) {
      g[k] = k;
    }
    return g;
  }
}
