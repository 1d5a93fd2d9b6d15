package org.fedcredit.modelzoo.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;
import org.junit.jupiter.api.Test;

class BinningTest {

  static final double NaN = Double.NaN;

  @Test
  void equalWidthSplitsTheObservedRangeAndMissingGetsItsOwnBin() {
    double[] x = {0, NaN, 10, 2.5, 7.5, 5, NaN, 9.99};
    ColumnBins b = Binning.fit("x", x, new BinningMethod.EqualWidth(4));
    assertThat(b.cutPoints()).containsExactly(2.5, 5.0, 7.5);
    // A cut point is the inclusive upper bound of its bin: 2.5 → bin 0, 7.5 → bin 2.
    assertThat(b.apply(x)).containsExactly(0, 4, 3, 0, 2, 1, 4, 3);
    assertThat(b.missingBin()).isEqualTo(4);
    assertThat(b.labels())
        .containsExactly("(-inf, 2.5]", "(2.5, 5]", "(5, 7.5]", "(7.5, +inf)", "missing");
    // Values outside the training range fall into the outer bins.
    assertThat(b.binOf(-100)).isZero();
    assertThat(b.binOf(1e9)).isEqualTo(3);
  }

  @Test
  void quantileCutsFollowTheQuantileBinnerAndIgnoreMissingValues() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN};
    ColumnBins b = Binning.fit("x", x, new BinningMethod.Quantile(4));
    // numpy linear quantiles of 1..8 at 1/4, 1/2, 3/4.
    assertThat(b.cutPoints()).containsExactly(2.75, 4.5, 6.25);
    assertThat(b.apply(new double[] {1, 2.75, 2.76, 4.49, 8, NaN}))
        .containsExactly(0, 0, 1, 1, 3, 4);
  }

  @Test
  void heavyTiesAndConstantColumnsGiveFewerBins() {
    ColumnBins ties =
        Binning.fit("x", new double[] {0, 0, 0, 0, 0, 0, 1, 2}, new BinningMethod.Quantile(4));
    assertThat(ties.regularBins()).isLessThan(4);
    ColumnBins constant =
        Binning.fit("x", new double[] {3, 3, NaN}, new BinningMethod.EqualWidth(5));
    assertThat(constant.cutPoints()).isEmpty();
    assertThat(constant.labels()).containsExactly("(-inf, +inf)", "missing");
  }

  @Test
  void manualCutsAreUsedAsGivenAndLabelledForTheCommittee() {
    ColumnBins b =
        Binning.fit(
            "invoiced",
            new double[] {100, 5000, NaN},
            new BinningMethod.Manual(List.of(1200.0, 3400.0)));
    assertThat(b.labels())
        .containsExactly("(-inf, 1200]", "(1200, 3400]", "(3400, +inf)", "missing");
    assertThat(b.binOf(1200)).isZero();
    assertThat(b.binOf(1200.01)).isEqualTo(1);
    assertThat(b.binOf(3399.99)).isEqualTo(1);
    assertThatThrownBy(() -> new BinningMethod.Manual(List.of(2.0, 1.0)))
        .isInstanceOf(BinningException.class)
        .hasMessageContaining("strictly increasing");
  }

  @Test
  void indicatorColumnsHaveTwoBinsAndRejectOtherValues() {
    ColumnBins b =
        Binning.fit("abnormal", new double[] {0, 1, NaN, 1}, new BinningMethod.Indicator());
    assertThat(b.labels()).containsExactly("0", "1", "missing");
    assertThat(b.apply(new double[] {0, 1, NaN})).containsExactly(0, 1, 2);
    assertThatThrownBy(
            () -> Binning.fit("abnormal", new double[] {0, 2}, new BinningMethod.Indicator()))
        .isInstanceOf(BinningException.class)
        .hasMessageContaining("abnormal")
        .hasMessageContaining("2.0");
  }

  @Test
  void fitUsesTrainingRowsOnlyAndPerColumnOverrides() {
    LocalTable t =
        new LocalTable(
            "t",
            List.of("a", "b", "c", "d", "e"),
            List.of("x", "flag"),
            new double[][] {{0, 10, 20, 30, 1000}, {0, 1, 0, 1, 1}},
            null);
    List<ColumnBins> bins =
        Binning.of(new BinningMethod.EqualWidth(3))
            .with("flag", new BinningMethod.Indicator())
            .fit(t, new int[] {0, 1, 2, 3});
    assertThat(bins.get(0).cutPoints()).containsExactly(10.0, 20.0); // 1000 is not a training row
    assertThat(bins.get(1).indicator()).isTrue();
    assertThatThrownBy(
            () ->
                Binning.defaults()
                    .with("nope", new BinningMethod.Indicator())
                    .fit(t, new int[] {0}))
        .isInstanceOf(BinningException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void mergingAdjacentBinsDropsTheCutsBetweenThem() {
    ColumnBins b = new ColumnBins("x", List.of(1.0, 2.0, 3.0), false);
    ColumnBins m = b.merge(new int[] {0, 0, 1, 1, 2});
    assertThat(m.cutPoints()).containsExactly(2.0);
    assertThatThrownBy(() -> b.merge(new int[] {0, 1, 0, 1, 2}))
        .isInstanceOf(BinningException.class)
        .hasMessageContaining("adjacent");
    assertThatThrownBy(() -> b.merge(new int[] {0, 0, 1, 1, 1}))
        .isInstanceOf(BinningException.class)
        .hasMessageContaining("missing bin");
  }

  @Test
  void woeAndIvOfKnownCountsWithSmoothingAndWithheldSmallBins() {
    // 3 regular bins + missing; totals: 40 events, 160 non-events.
    BinStatistics s =
        new BinStatistics("x", 3, new long[] {100, 60, 37, 3}, new long[] {10, 30, 0, 0});
    WoeEvaluation ev = s.evaluate(WoeRules.defaults());
    assertThat(ev.groupOfBin()).containsExactly(0, 1, 2, 3);
    double[] woe = ev.woe();
    assertThat(woe[0]).isCloseTo(Math.log((90 / 160.0) / (10 / 40.0)), within());
    assertThat(woe[1]).isCloseTo(Math.log((30 / 160.0) / (30 / 40.0)), within());
    assertThat(woe[2]).isCloseTo(Math.log((37.5 / 160.0) / (0.5 / 40.0)), within()); // smoothed
    assertThat(woe[3]).isZero(); // 3 rows < 5: withheld
    double iv =
        (90 / 160.0 - 10 / 40.0) * woe[0]
            + (30 / 160.0 - 30 / 40.0) * woe[1]
            + (37.5 / 160.0 - 0.5 / 40.0) * woe[2];
    assertThat(ev.iv()).isCloseTo(iv, within());
  }

  @Test
  void smallRegularBinsMergeIntoTheirSmallerNeighbour() {
    BinStatistics s =
        new BinStatistics("x", 4, new long[] {50, 2, 30, 40, 0}, new long[] {5, 1, 6, 20, 0});
    WoeEvaluation ev = s.evaluate(WoeRules.defaults());
    assertThat(ev.groupOfBin()).containsExactly(0, 1, 1, 2, 3);
    assertThat(ev.grouped().rows()).containsExactly(50, 32, 40, 0);
  }

  @Test
  void monotoneMergePoolsAdjacentViolators() {
    // Bad rates 10%, 20%, 16%, 40%: WOE falls, rises at bin 2, falls again.
    BinStatistics s =
        new BinStatistics("x", 4, new long[] {50, 50, 50, 50, 0}, new long[] {5, 10, 8, 20, 0});
    assertThat(s.evaluate(WoeRules.defaults()).isMonotone()).isFalse();
    WoeEvaluation ev = s.evaluate(WoeRules.defaults().withMonotone(true));
    assertThat(ev.groupOfBin()).containsExactly(0, 1, 1, 2, 3);
    assertThat(ev.isMonotone()).isTrue();
    assertThat(ev.grouped().events()).containsExactly(5, 18, 20, 0);
  }

  @Test
  void ivSelectionByThresholdAndTopK() {
    var ivs =
        java.util.Map.of(
            "bank/a", 0.01, "tax-bureau/col0", 0.35, "utility/kwh", 0.12, "bank/b", 0.12);
    assertThat(IvSelection.threshold(0.1).select(ivs))
        .containsExactly("tax-bureau/col0", "bank/b", "utility/kwh");
    assertThat(IvSelection.topK(2).select(ivs)).containsExactly("tax-bureau/col0", "bank/b");
    assertThat(new IvSelection(0.02, 1).select(ivs)).containsExactly("tax-bureau/col0");
    assertThat(IvSelection.all().select(ivs)).hasSize(4);
    assertThat(IvSelection.threshold(0.5).select(ivs)).isEmpty();
  }

  static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }
}
