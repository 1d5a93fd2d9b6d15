package org.fedcredit.modelzoo.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.QuantileBinner.Encoding;
import org.junit.jupiter.api.Test;

class QuantileBinnerTest {

  private static final double NAN = Double.NaN;

  @Test
  void quartilesOfOneToTenByHand() {
    // Sorted 1..10, position h = 9q: q=.25 -> 2.25 -> 3 + .25 = 3.25; q=.5 -> 4.5 -> 5.5;
    // q=.75 -> 6.75 -> 7.75. Bins: {1,2,3} {4,5} {6,7} {8,9,10}.
    LocalTable t = TestTables.of(List.of("x"), new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    QuantileBinner b = QuantileBinner.fit(t, TestTables.allRows(10), 4, Encoding.INDEX);
    assertThat(b.cuts().get(0)).containsExactly(3.25, 5.5, 7.75);
    assertThat(b.outputColumns()).containsExactly("x__bin");
    assertThat(b.apply(t).column(0)).containsExactly(0, 0, 0, 1, 1, 2, 2, 3, 3, 3);
    // A value on a cut goes up; beyond the training range go to the end bins; NaN to bin 4.
    assertThat(b.bin(0, 5.5)).isEqualTo(2);
    assertThat(b.bin(0, -100)).isEqualTo(0);
    assertThat(b.bin(0, 100)).isEqualTo(3);
    assertThat(b.bin(0, NAN)).isEqualTo(4);
  }

  @Test
  void heavyTiesMergeEdgesLikeScikitLearn() {
    // Golden vector: numpy 2.4 percentile + scikit-learn 1.2 KBinsDiscretizer's edge merging
    // (np.percentile(x, linspace(0, 100, k+1)), drop edges equal to the previous one, searchsorted
    // side="right" on the inner edges).
    double[] x = {-1, -1, -1, 0, 0, 0, 0, 0, 1, 2, 2, 3, 5, 8, 13};
    double[] probe = {-5, -1, 0, 0.5, 1, 2, 3, 13, 20};
    LocalTable t = TestTables.of(List.of("x"), x);

    QuantileBinner five = QuantileBinner.fit(t, TestTables.allRows(x.length), 5, Encoding.INDEX);
    assertThat(five.cuts().get(0).stream().mapToDouble(Double::doubleValue).toArray())
        .containsExactly(new double[] {-0.2, 0.0, 1.4, 3.4}, within(1e-12));
    assertThat(bins(five, probe)).containsExactly(0, 0, 2, 2, 2, 3, 3, 4, 4);

    QuantileBinner ten = QuantileBinner.fit(t, TestTables.allRows(x.length), 10, Encoding.INDEX);
    assertThat(ten.regularBins(0)).as("10 requested, ties leave 7").isEqualTo(7);
    assertThat(ten.cuts().get(0).stream().mapToDouble(Double::doubleValue).toArray())
        .containsExactly(new double[] {-0.2, 0.0, 1.4, 2.0, 3.4, 6.8}, within(1e-12));
    assertThat(bins(ten, probe)).containsExactly(0, 0, 2, 2, 2, 4, 4, 6, 6);

    // Five zeros then 1..4, k = 4: edges 0, 0, 0, 1.75, 4 -> merged 0, 1.75, 4 -> one cut.
    LocalTable zeros = TestTables.of(List.of("z"), new double[] {0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
    assertThat(QuantileBinner.fit(zeros, TestTables.allRows(10), 4, Encoding.INDEX).cuts())
        .containsExactly(List.of(1.75));
  }

  @Test
  void oneHotNamesValuesAndTheMissingBin() {
    // a: training rows 0..3 = 1, 2, 3, 4 with k = 2 -> one cut at 2.5; hold-out row 4 is NaN.
    // c: constant -> no cut, one regular bin.
    LocalTable t =
        TestTables.of(
            List.of("a", "c"), new double[] {1, 2, 3, 4, NAN}, new double[] {7, 7, 7, 7, 7});
    QuantileBinner b = QuantileBinner.fit(t, new int[] {0, 1, 2, 3}, 2, Encoding.ONE_HOT);
    assertThat(b.outputColumns())
        .containsExactly("a__bin0", "a__bin1", "a__bin_missing", "c__bin0", "c__bin_missing");
    LocalTable out = b.apply(t, new int[] {4, 0, 3});
    assertThat(out.ids()).containsExactly("r4", "r0", "r3");
    assertThat(TestTables.column(out, "a__bin0")).containsExactly(0, 1, 0);
    assertThat(TestTables.column(out, "a__bin1")).containsExactly(0, 0, 1);
    assertThat(TestTables.column(out, "a__bin_missing")).containsExactly(1, 0, 0);
    assertThat(TestTables.column(out, "c__bin0")).containsExactly(1, 1, 1);
    assertThat(TestTables.column(out, "c__bin_missing")).containsExactly(0, 0, 0);
  }

  @Test
  void holdOutValuesDoNotMoveTheCuts() {
    LocalTable t = TestTables.of(List.of("a"), new double[] {1, 2, 3, 4, 1000, 2000});
    QuantileBinner trained = QuantileBinner.fit(t, new int[] {0, 1, 2, 3}, 2, Encoding.INDEX);
    assertThat(trained.cuts().get(0)).containsExactly(2.5);
    assertThat(trained.apply(t, new int[] {4, 5}).column(0)).containsExactly(1, 1);
  }

  @Test
  void rejectsFewerThanTwoBins() {
    LocalTable t = TestTables.of(List.of("a"), new double[] {1, 2});
    assertThatThrownBy(() -> QuantileBinner.fit(t, new int[] {0, 1}, 1, Encoding.INDEX))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("at least 2 bins");
  }

  @Property(tries = 200)
  void binsAreMonotoneAndOneHotRowsHaveExactlyOneBin(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -5, max = 5) Double> values,
      @ForAll @IntRange(min = 2, max = 12) int k) {
    double[] x = new double[values.size()];
    for (int i = 0; i < x.length; i++) {
      // round to a coarse grid so ties are common
      x[i] = Math.round(values.get(i) * 2) / 2.0;
    }
    LocalTable t = TestTables.of(List.of("v"), x);
    QuantileBinner b = QuantileBinner.fit(t, TestTables.allRows(x.length), k, Encoding.ONE_HOT);
    assertThat(b.regularBins(0)).isBetween(1, k);
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        if (x[i] <= x[j]) {
          assertThat(b.bin(0, x[i])).isLessThanOrEqualTo(b.bin(0, x[j]));
        }
      }
    }
    LocalTable out = b.apply(t);
    for (int i = 0; i < x.length; i++) {
      double sum = 0;
      for (int j = 0; j < out.features(); j++) {
        sum += out.value(i, j);
      }
      assertThat(sum).isEqualTo(1.0);
      assertThat(out.value(i, b.bin(0, x[i]))).isEqualTo(1.0);
    }
    // the lowest and highest training values fall in the first and last regular bins
    double min = Arrays.stream(x).min().orElseThrow();
    double max = Arrays.stream(x).max().orElseThrow();
    assertThat(b.bin(0, min)).isZero();
    assertThat(b.bin(0, max)).isEqualTo(b.regularBins(0) - 1);
  }

  private static int[] bins(QuantileBinner b, double[] probe) {
    int[] out = new int[probe.length];
    for (int i = 0; i < probe.length; i++) {
      out[i] = b.bin(0, probe[i]);
    }
    return out;
  }
}
