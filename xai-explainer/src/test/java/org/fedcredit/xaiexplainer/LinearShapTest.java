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
  void eachPartyCanExplainItsOwnColumnsAndTheBankAddsThem() {
    // Vertical LR: the bank holds the intercept and x0..x1, the provider x2..x4; the provider
    // explains its part locally (intercept 0) and sends one block value.
    double[] w = {0.4, -1.1, 0.7, 0.2, -0.3};
    double[] mean = {0.1, 0.0, -0.2, 0.5, 0.3};
    double[] z = {1.2, -0.4, 0.9, 2.0, -1.0};
    FeatureGroups joint =
        FeatureGroups.of(
            List.of("bank:x0", "bank:x1", "provider:x0", "provider:x1", "provider:x2"),
            List.of("provider"));
    ShapValues all = new LinearShap(-0.8, w, mean, joint).explain(z);

    ShapValues bank =
        new LinearShap(-0.8, new double[] {0.4, -1.1}, new double[] {0.1, 0.0}, new int[] {0, 1}, 2)
            .explain(new double[] {1.2, -0.4});
    ShapValues provider =
        new LinearShap(
                0, new double[] {0.7, 0.2, -0.3}, new double[] {-0.2, 0.5, 0.3}, new int[3], 1)
            .explain(new double[] {0.9, 2.0, -1.0});
    assertThat(all.contributions())
        .containsExactly(bank.contribution(0), bank.contribution(1), provider.contribution(0));
    assertThat(all.baseValue()).isCloseTo(bank.baseValue() + provider.baseValue(), within(1e-15));
    assertThat(all.output()).isCloseTo(bank.output() + provider.output(), within(1e-15));
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
