package org.fedcredit.modelzoo.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;
import org.junit.jupiter.api.Test;

class StandardizerTest {

  private static final double NAN = Double.NaN;

  @Test
  void fitsOnTrainingRowsOnlyAndAppliesThoseParametersToHoldOut() {
    // Training rows 0..2 of a: 1, 2, 3 -> mean 2, population std sqrt(2/3).
    // Row 3 (hold-out, 4) -> (4 - 2) / sqrt(2/3) = 2.449…; refitting on it alone would give 0.
    LocalTable t = TestTables.of(List.of("a"), new double[] {1, 2, 3, 4});
    Standardizer s = Standardizer.fit(t, new int[] {0, 1, 2});
    double std = Math.sqrt(2.0 / 3);
    assertThat(s.means()).containsExactly(2.0);
    assertThat(s.stds().get(0)).isCloseTo(std, within(1e-15));
    assertThat(s.constantColumns()).isEmpty();

    LocalTable holdOut = s.apply(t, new int[] {3});
    assertThat(holdOut.ids()).containsExactly("r3");
    assertThat(holdOut.labels().orElseThrow()).containsExactly(1);
    assertThat(holdOut.value(0, 0)).isCloseTo(2 / std, within(1e-12));

    LocalTable train = s.apply(t, new int[] {0, 1, 2});
    assertThat(train.column(0)).containsExactly(new double[] {-1 / std, 0, 1 / std}, within(1e-12));
  }

  @Test
  void constantColumnGetsStdOneAndIsReported() {
    // 0.1 three times: the computed mean can differ from 0.1 by rounding; detection is min == max.
    LocalTable t =
        TestTables.of(
            List.of("c", "x"), new double[] {0.1, 0.1, 0.1, 0.4}, new double[] {1, 3, 5, 7});
    Standardizer s = Standardizer.fit(t, new int[] {0, 1, 2});
    assertThat(s.constantColumns()).containsExactly("c");
    assertThat(s.stds().get(0)).isEqualTo(1.0);
    LocalTable out = s.apply(t);
    assertThat(out.column(0)).containsExactly(0, 0, 0, 0.4 - 0.1);
    assertThat(out.featureNames()).containsExactly("c", "x");
  }

  @Test
  void missingValuesAreIgnoredWhenFittingAndKeptWhenApplying() {
    // Observed training values 2 and 4: mean 3, std 1.
    LocalTable t = TestTables.of(List.of("a"), new double[] {2, NAN, 4, NAN});
    Standardizer s = Standardizer.fit(t, new int[] {0, 1, 2});
    assertThat(s.means()).containsExactly(3.0);
    assertThat(s.stds()).containsExactly(1.0);
    assertThat(s.apply(t).column(0)).containsExactly(-1, NAN, 1, NAN);
  }

  @Test
  void rejectsAllMissingInfiniteAndMismatchedColumns() {
    LocalTable allMissing =
        TestTables.of(List.of("a", "b"), new double[] {1, 2}, new double[] {NAN, NAN});
    assertThatThrownBy(() -> Standardizer.fit(allMissing, new int[] {0, 1}))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("column 'b' is missing in all 2 training rows");

    LocalTable infinite = TestTables.of(List.of("a"), new double[] {1, Double.NEGATIVE_INFINITY});
    assertThatThrownBy(() -> Standardizer.fit(infinite, new int[] {0, 1}))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("column 'a', row id r1 is -Infinity");

    Standardizer s =
        Standardizer.fit(TestTables.of(List.of("a"), new double[] {1, 2}), new int[] {0, 1});
    assertThatThrownBy(() -> s.apply(TestTables.of(List.of("z"), new double[] {1})))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("'a' expected, 'z' found");
  }

  @Test
  void rejectsBadRowIndices() {
    LocalTable t = TestTables.of(List.of("a"), new double[] {1, 2, 3});
    assertThatThrownBy(() -> Standardizer.fit(t, new int[] {0, 3}))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("training row index 3 is outside test.csv (3 rows");
    assertThatThrownBy(() -> Standardizer.fit(t, new int[] {1, 1}))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("index 1 (id r1) is listed twice");
  }
}
