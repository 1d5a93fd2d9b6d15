package org.fedcredit.modelzoo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics.ConfusionMatrix;
import org.junit.jupiter.api.Test;

class BinaryClassificationMetricsTest {

  private static final double EPS = 1e-12;

  @Test
  void handCheckedExampleWithoutTies() {
    // positives 0.9, 0.7, 0.2; negatives 0.8, 0.3.
    // Pairs (pos, neg): (.9,.8) won, (.9,.3) won, (.7,.8) lost, (.7,.3) won, (.2,.8) lost,
    // (.2,.3) lost -> AUC = 3/6 = 0.5.
    // Thresholds, descending:  t=.9: TPR 1/3, FPR 0   -> 1/3
    //                           t=.8: 1/3, 1/2        -> 1/6
    //                           t=.7: 2/3, 1/2        -> 1/6
    //                           t=.3: 2/3, 1          -> 1/3
    //                           t=.2: 1, 1            -> 0     => KS = 1/3, first reached at .9
    // At 0.5: predicted positive .9 .8 .7 -> tp 2, fp 1, tn 1, fn 1, accuracy 3/5.
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(
            new int[] {1, 0, 1, 0, 1}, new double[] {0.9, 0.8, 0.7, 0.3, 0.2});
    assertThat(m.auc()).isCloseTo(0.5, within(EPS));
    assertThat(m.gini()).isCloseTo(0.0, within(EPS));
    assertThat(m.ks()).isCloseTo(1.0 / 3, within(EPS));
    assertThat(m.ksScore()).isEqualTo(0.9);
    assertThat(m.confusion()).isEqualTo(new ConfusionMatrix(2, 1, 1, 1));
    assertThat(m.accuracy()).isCloseTo(0.6, within(EPS));
    assertThat(m.positiveRate()).isCloseTo(0.6, within(EPS));
    assertThat(m.predictedPositiveRate()).isCloseTo(0.6, within(EPS));
    assertThat(m.threshold()).isEqualTo(0.5);
  }

  @Test
  void handCheckedExampleWithTiesUsesAverageRanks() {
    // positives 0.8, 0.5, 0.5; negatives 0.5, 0.2, 0.8.
    // Ranks of all six ascending: .2 -> 1; .5 x3 -> 2,3,4 (avg 3); .8 x2 -> 5,6 (avg 5.5).
    // Positive rank sum = 5.5 + 3 + 3 = 11.5; U = 11.5 - 3*4/2 = 5.5; AUC = 5.5/9.
    // Thresholds: t=.8: TPR 1/3, FPR 1/3 -> 0; t=.5: 1, 2/3 -> 1/3; t=.2: 1, 1 -> 0. KS = 1/3.
    // At 0.5 (score >= 0.5 is positive): tp 3, fp 2, tn 1, fn 0.
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(
            new int[] {1, 1, 0, 0, 1, 0}, new double[] {0.8, 0.5, 0.5, 0.2, 0.5, 0.8});
    assertThat(m.auc()).isCloseTo(5.5 / 9, within(EPS));
    assertThat(m.ks()).isCloseTo(1.0 / 3, within(EPS));
    assertThat(m.ksScore()).isEqualTo(0.5);
    assertThat(m.confusion()).isEqualTo(new ConfusionMatrix(3, 2, 1, 0));
  }

  @Test
  void negativeZeroTiesWithZero() {
    // One positive at -0.0, one negative at 0.0: a tie, AUC 1/2, and no threshold separates them.
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(new int[] {1, 0}, new double[] {-0.0, 0.0});
    assertThat(m.auc()).isEqualTo(0.5);
    assertThat(m.ks()).isEqualTo(0.0);
  }

  @Test
  void perfectInvertedAndConstantScorers() {
    int[] y = {0, 0, 0, 1, 1};
    BinaryClassificationMetrics perfect =
        BinaryClassificationMetrics.evaluate(y, new double[] {0.1, 0.2, 0.3, 0.7, 0.9});
    assertThat(perfect.auc()).isEqualTo(1.0);
    assertThat(perfect.gini()).isEqualTo(1.0);
    assertThat(perfect.ks()).isEqualTo(1.0);
    assertThat(perfect.ksScore()).isEqualTo(0.7);
    assertThat(perfect.accuracy()).isEqualTo(1.0);

    BinaryClassificationMetrics inverted =
        BinaryClassificationMetrics.evaluate(y, new double[] {0.9, 0.7, 0.6, 0.2, 0.1});
    assertThat(inverted.auc()).isEqualTo(0.0);
    assertThat(inverted.gini()).isEqualTo(-1.0);
    assertThat(inverted.ks()).as("KS is symmetric; AUC gives the direction").isEqualTo(1.0);
    assertThat(inverted.accuracy()).isEqualTo(0.0);

    BinaryClassificationMetrics constant =
        BinaryClassificationMetrics.evaluate(y, new double[] {0.4, 0.4, 0.4, 0.4, 0.4});
    assertThat(constant.auc()).isEqualTo(0.5);
    assertThat(constant.ks()).isEqualTo(0.0);
    assertThat(constant.confusion()).isEqualTo(new ConfusionMatrix(0, 0, 3, 2));
  }

  @Test
  void thresholdIsInclusive() {
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(
            new int[] {1, 0, 1, 0}, new double[] {0.3, 0.3, 0.29, 0.1}, 0.3);
    assertThat(m.threshold()).isEqualTo(0.3);
    assertThat(m.confusion()).isEqualTo(new ConfusionMatrix(1, 1, 1, 1));
  }

  @Test
  void logLossByHandAndClipping() {
    // -(ln 0.8 + ln(1 - 0.4)) / 2
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(new int[] {1, 0}, new double[] {0.8, 0.4});
    assertThat(m.logLoss().getAsDouble())
        .isCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, within(EPS));

    // A certain mistake costs -ln(1e-15) = 34.54 (clipped), not infinity.
    BinaryClassificationMetrics wrong =
        BinaryClassificationMetrics.evaluate(new int[] {1, 0}, new double[] {0.0, 0.0});
    assertThat(wrong.logLoss().getAsDouble()).isCloseTo(-Math.log(1e-15) / 2, within(1e-9));
  }

  @Test
  void scoresOutsideUnitIntervalHaveNoLogLossAndAWiderHistogram() {
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(
            new int[] {0, 1, 0, 1}, new double[] {-3.0, 2.0, -1.0, 1.5}, 0.0, 5);
    assertThat(m.logLoss()).isEmpty();
    assertThat(m.toMap()).doesNotContainKey("log_loss");
    assertThat(m.auc()).isEqualTo(1.0);
    // Range [min(0,-3), max(1,2)] = [-3, 2], width 1 per bin: [-3,-2) [-2,-1) [-1,0) [0,1) [1,2].
    assertThat(m.histogram().low()).isEqualTo(-3.0);
    assertThat(m.histogram().high()).isEqualTo(2.0);
    assertThat(m.histogram().negatives()).containsExactly(1, 0, 1, 0, 0);
    assertThat(m.histogram().positives()).containsExactly(0, 0, 0, 0, 2);
  }

  @Test
  void histogramHasTenEqualBinsOnTheUnitIntervalByDefault() {
    // 0.0 and 0.05 -> bin 0; 0.1 -> bin 1 (left edge inclusive); 0.95 -> bin 9; 1.0 -> bin 9.
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.evaluate(
            new int[] {0, 0, 1, 1, 1}, new double[] {0.0, 0.05, 0.1, 0.95, 1.0});
    assertThat(m.histogram().bins()).isEqualTo(10);
    assertThat(m.histogram().low()).isEqualTo(0.0);
    assertThat(m.histogram().high()).isEqualTo(1.0);
    assertThat(m.histogram().negatives()).containsExactly(2, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(m.histogram().positives()).containsExactly(0, 1, 0, 0, 0, 0, 0, 0, 0, 2);
    assertThat(m.histogram().edge(3)).isCloseTo(0.3, within(EPS));
    assertThat(m.histogram().edge(10)).isEqualTo(1.0);
  }

  @Test
  void mapViewHasFixedKeysAndNestedMaps() {
    Map<String, Object> map =
        BinaryClassificationMetrics.evaluate(
                new int[] {1, 0, 1, 0, 1}, new double[] {0.9, 0.8, 0.7, 0.3, 0.2})
            .toMap();
    assertThat(map.keySet())
        .containsExactly(
            "count",
            "positives",
            "negatives",
            "positive_rate",
            "auc",
            "gini",
            "ks",
            "ks_score",
            "threshold",
            "accuracy",
            "predicted_positive_rate",
            "confusion",
            "log_loss",
            "histogram");
    assertThat(map.get("count")).isEqualTo(5);
    assertThat(map.get("confusion")).isEqualTo(Map.of("tp", 2, "fp", 1, "tn", 1, "fn", 1));
    @SuppressWarnings("unchecked")
    Map<String, Object> histogram = (Map<String, Object>) map.get("histogram");
    assertThat(histogram.get("positives")).isInstanceOf(List.class);
    assertThatThrownBy(() -> map.put("auc", 1.0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsInvalidInputWithActionableMessages() {
    assertThatThrownBy(
            () -> BinaryClassificationMetrics.evaluate(new int[] {0, 1}, new double[] {0.1}))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("2 labels but 1 scores");
    assertThatThrownBy(() -> BinaryClassificationMetrics.evaluate(new int[0], new double[0]))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("no rows");
    assertThatThrownBy(
            () ->
                BinaryClassificationMetrics.evaluate(
                    new int[] {0, 1, 2}, new double[] {0.1, 0.2, 0.3}))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("row 2 is 2")
        .hasMessageContaining("0 or 1");
    assertThatThrownBy(
            () ->
                BinaryClassificationMetrics.evaluate(
                    new int[] {0, 1, 0}, new double[] {0.1, Double.NaN, 0.3}))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("score at row 1 is NaN");
    assertThatThrownBy(
            () ->
                BinaryClassificationMetrics.evaluate(
                    new int[] {0, 1}, new double[] {0.1, Double.POSITIVE_INFINITY}))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("row 1 is Infinity");
    assertThatThrownBy(
            () -> BinaryClassificationMetrics.evaluate(new int[] {1, 1}, new double[] {0.1, 0.2}))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("all 2 rows have label 1")
        .hasMessageContaining("undefined for a single class");
    assertThatThrownBy(
            () ->
                BinaryClassificationMetrics.evaluate(
                    new int[] {0, 1}, new double[] {0.1, 0.2}, Double.NaN))
        .isInstanceOf(MetricsException.class)
        .hasMessageContaining("threshold");
  }

  // ---- properties ----

  record Sample(int[] labels, double[] scores) {}

  /**
   * 2..80 rows, scores on a grid of 21 values (so ties are frequent), both classes present. Grid
   * values stay distinct under the transforms below, so ties are neither created nor broken.
   */
  @Provide
  Arbitrary<Sample> samples() {
    return Arbitraries.integers()
        .between(2, 80)
        .flatMap(
            n ->
                Combinators.combine(
                        Arbitraries.integers().between(0, 1).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(0, 20).array(int[].class).ofSize(n))
                    .as(
                        (y, ticks) -> {
                          y[0] = 1;
                          y[1] = 0;
                          double[] s = new double[n];
                          for (int i = 0; i < n; i++) {
                            s[i] = ticks[i] / 20.0;
                          }
                          return new Sample(y, s);
                        }));
  }

  @Property(tries = 300)
  void aucIsTheShareOfCorrectlyOrderedPairsTiesCountingHalf(@ForAll("samples") Sample s) {
    double won = 0;
    long pairs = 0;
    for (int i = 0; i < s.labels.length; i++) {
      for (int j = 0; j < s.labels.length; j++) {
        if (s.labels[i] == 1 && s.labels[j] == 0) {
          pairs++;
          won += s.scores[i] > s.scores[j] ? 1 : s.scores[i] == s.scores[j] ? 0.5 : 0;
        }
      }
    }
    BinaryClassificationMetrics m = BinaryClassificationMetrics.evaluate(s.labels, s.scores);
    assertThat(m.auc()).isCloseTo(won / pairs, within(EPS));
    assertThat(m.gini()).isCloseTo(2 * won / pairs - 1, within(EPS));
  }

  @Property(tries = 300)
  void ksEqualsTheMaximumGapOverThresholdsAndIsInvariantToMonotoneTransforms(
      @ForAll("samples") Sample s) {
    // Independent brute force: every score value as a threshold, predicted positive iff >= t.
    int p = 0;
    for (int y : s.labels) {
      p += y;
    }
    int q = s.labels.length - p;
    double brute = 0;
    for (double t : s.scores) {
      int tp = 0;
      int fp = 0;
      for (int i = 0; i < s.labels.length; i++) {
        if (s.scores[i] >= t) {
          tp += s.labels[i];
          fp += 1 - s.labels[i];
        }
      }
      brute = Math.max(brute, Math.abs((double) tp / p - (double) fp / q));
    }
    BinaryClassificationMetrics m = BinaryClassificationMetrics.evaluate(s.labels, s.scores);
    assertThat(m.ks()).isCloseTo(brute, within(EPS));

    List<DoubleUnaryOperator> increasing =
        List.of(x -> Math.exp(3 * x), x -> x * x * x + x, x -> Math.log(x + 0.01), x -> 100 * x);
    for (DoubleUnaryOperator f : increasing) {
      BinaryClassificationMetrics t =
          BinaryClassificationMetrics.evaluate(s.labels, transform(s.scores, f));
      assertThat(t.ks()).isCloseTo(m.ks(), within(EPS));
      assertThat(t.auc()).isCloseTo(m.auc(), within(EPS));
    }
    // Decreasing: KS unchanged (it is symmetric), AUC mirrored.
    BinaryClassificationMetrics flipped =
        BinaryClassificationMetrics.evaluate(s.labels, transform(s.scores, x -> 1 - x));
    assertThat(flipped.ks()).isCloseTo(m.ks(), within(EPS));
    assertThat(flipped.auc()).isCloseTo(1 - m.auc(), within(EPS));
  }

  private static double[] transform(double[] scores, DoubleUnaryOperator f) {
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = f.applyAsDouble(scores[i]);
    }
    return out;
  }
}
