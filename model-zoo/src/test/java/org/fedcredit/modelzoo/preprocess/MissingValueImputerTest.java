package org.fedcredit.modelzoo.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.MissingValueImputer.Fill;
import org.junit.jupiter.api.Test;

class MissingValueImputerTest {

  private static final double NAN = Double.NaN;

  // Rows 0..2 train, 3..4 hold out. a: training mean of 1 and 3 = 2, missing in training.
  // b: no missing training value, but a missing hold-out value.
  private static final LocalTable T =
      TestTables.of(
          List.of("a", "b"), new double[] {1, NAN, 3, NAN, 100}, new double[] {5, 6, 7, NAN, 8});
  private static final int[] TRAIN = {0, 1, 2};

  @Test
  void meanComesFromTrainingRowsAndFillsHoldOut() {
    MissingValueImputer imp = MissingValueImputer.fit(T, TRAIN, new Fill.Mean(), false);
    assertThat(imp.fillValues()).containsExactly(2.0, 6.0);
    assertThat(imp.columnsWithMissing()).containsExactly("a");
    assertThat(imp.outputColumns()).containsExactly("a", "b");
    LocalTable out = imp.apply(T, new int[] {3, 4});
    // Hold-out row 4 (a = 100) does not move the fill value: row 3 gets the training mean 2.
    assertThat(out.column(0)).containsExactly(2, 100);
    assertThat(out.column(1)).containsExactly(6, 8);
    assertThat(out.ids()).containsExactly("r3", "r4");
  }

  @Test
  void indicatorsFollowTheColumnsThatHadMissingTrainingValues() {
    MissingValueImputer imp = MissingValueImputer.fit(T, TRAIN, new Fill.Constant(-1), true);
    assertThat(imp.fillValues()).containsExactly(-1.0, -1.0);
    // Only a had missing training values, so only a__missing is added; b's hold-out NaN is filled.
    assertThat(imp.outputColumns()).containsExactly("a", "b", "a__missing");
    LocalTable out = imp.apply(T);
    assertThat(out.featureNames()).isEqualTo(imp.outputColumns());
    assertThat(out.column(0)).containsExactly(1, -1, 3, -1, 100);
    assertThat(out.column(1)).containsExactly(5, 6, 7, -1, 8);
    assertThat(out.column(2)).containsExactly(0, 1, 0, 1, 0);
  }

  @Test
  void meanOfAnAllMissingColumnIsRejectedButAConstantWorks() {
    LocalTable t = TestTables.of(List.of("empty"), new double[] {NAN, NAN, 4});
    assertThatThrownBy(() -> MissingValueImputer.fit(t, new int[] {0, 1}, new Fill.Mean(), false))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("column 'empty' is missing in all 2 training rows")
        .hasMessageContaining("strategy: constant");
    MissingValueImputer imp =
        MissingValueImputer.fit(t, new int[] {0, 1}, new Fill.Constant(0), false);
    assertThat(imp.apply(t).column(0)).containsExactly(0, 0, 4);
  }

  @Test
  void indicatorNameCollisionIsRejected() {
    LocalTable t =
        TestTables.of(List.of("a", "a__missing"), new double[] {NAN, 1}, new double[] {0, 0});
    MissingValueImputer imp =
        MissingValueImputer.fit(t, new int[] {0, 1}, new Fill.Constant(0), true);
    assertThatThrownBy(() -> imp.apply(t))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("output column 'a__missing' would appear twice");
  }
}
