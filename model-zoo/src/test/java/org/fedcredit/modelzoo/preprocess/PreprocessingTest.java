package org.fedcredit.modelzoo.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.MissingValueImputer.Fill;
import org.fedcredit.modelzoo.preprocess.Preprocessing.Bins;
import org.fedcredit.modelzoo.preprocess.Preprocessing.Impute;
import org.fedcredit.modelzoo.preprocess.Preprocessing.Standardize;
import org.fedcredit.modelzoo.preprocess.QuantileBinner.Encoding;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  private static final double NAN = Double.NaN;

  @Test
  void parsesTheYamlShapeIntoStepsInTheFixedOrder() {
    // Key order in the map does not matter: impute, standardize, bins.
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bins", Map.of("method", "quantile", "count", 10, "encoding", "one-hot"));
    config.put("standardize", true);
    config.put("impute", "mean");
    assertThat(Preprocessing.fromMap(config).steps())
        .containsExactly(
            new Impute(new Fill.Mean(), false), new Standardize(), new Bins(10, Encoding.ONE_HOT));

    assertThat(
            Preprocessing.fromMap(
                    Map.of(
                        "impute", Map.of("strategy", "constant", "value", -1, "indicator", true),
                        "bins", Map.of("encoding", "index")))
                .steps())
        .containsExactly(new Impute(new Fill.Constant(-1), true), new Bins(10, Encoding.INDEX));
    assertThat(Preprocessing.fromMap(Map.of()).steps()).isEmpty();
    assertThat(Preprocessing.fromMap(Map.of("standardize", false, "bins", "none")).steps())
        .isEmpty();
  }

  @Test
  void rejectsUnknownKeysAndValuesNamingTheKey() {
    assertRejected(Map.of("standardise", true), "preprocessing: unknown key 'standardise'");
    assertRejected(Map.of("bins", Map.of("cuont", 10)), "bins: unknown key 'cuont'");
    assertRejected(
        Map.of("impute", Map.of("strategy", "mean", "fill", 0)), "impute: unknown key 'fill'");
    assertRejected(
        Map.of("bins", Map.of("encoding", "onehot")),
        "bins.encoding: unknown value 'onehot' (String); accepted values are one-hot, index");
    assertRejected(
        Map.of("bins", Map.of("method", "uniform")), "bins.method: unknown value 'uniform'");
    assertRejected(Map.of("bins", Map.of("count", 2.5)), "bins.count: expected a whole number");
    assertRejected(Map.of("bins", Map.of("count", 1)), "bins.count must be between 2 and 10000");
    assertRejected(Map.of("bins", 10), "bins: expected none or a map");
    assertRejected(Map.of("standardize", "yes"), "standardize: expected true or false, got 'yes'");
    assertRejected(Map.of("impute", "median"), "impute: expected none, mean, or a map");
    assertRejected(
        Map.of("impute", Map.of("strategy", "median")), "impute.strategy: unknown value 'median'");
    assertRejected(Map.of("impute", "constant"), "impute: 'constant' needs a value");
    assertRejected(
        Map.of("impute", Map.of("strategy", "constant")), "impute.value must be a finite number");
    assertRejected(
        Map.of("impute", Map.of("strategy", "mean", "value", 3)), "impute.value is only used");
    assertRejected(
        Map.of("impute", Map.of("indicator", "no")), "impute.indicator: expected true or false");
  }

  private static void assertRejected(Map<String, ?> config, String message) {
    assertThatThrownBy(() -> Preprocessing.fromMap(config))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining(message);
  }

  // a: 1..8 with a gap; b: constant except hold-out. Rows 0..5 train, 6..7 hold out.
  private static final LocalTable T =
      TestTables.of(
          List.of("a", "b"),
          new double[] {1, NAN, 3, 4, 5, 6, 100, NAN},
          new double[] {2, 2, 2, 2, 2, 2, 9, 2});
  private static final int[] TRAIN = TestTables.allRows(6);
  private static final int[] HOLD_OUT = {6, 7};

  @Test
  void holdOutRowsUseTrainingParametersNotARefit() {
    Preprocessing spec =
        Preprocessing.fromMap(
            Map.of("impute", Map.of("strategy", "mean", "indicator", true), "standardize", true));
    FittedPreprocessing fitted = spec.fit(T, TRAIN);
    assertThat(fitted.outputColumns()).containsExactly("a", "b", "a__missing");

    // By hand: a's training values 1,3,4,5,6 -> mean 19/5 = 3.8, fills row 1; imputed training
    // column 1, 3.8, 3, 4, 5, 6 has mean 3.8 and population std sqrt(14.8/6) (squares:
    // 7.84 + 0 + 0.64 + 0.04 + 1.44 + 4.84 = 14.8). b is constant 2 -> std 1.
    // a__missing on training rows is 0,1,0,0,0,0: mean 1/6, std sqrt(5)/6.
    double stdA = Math.sqrt(14.8 / 6);
    double stdInd = Math.sqrt(5) / 6;
    LocalTable out = fitted.apply(T, HOLD_OUT);
    assertThat(out.ids()).containsExactly("r6", "r7");
    assertThat(out.labels().orElseThrow()).containsExactly(0, 1);
    assertThat(out.column(0)).containsExactly(new double[] {(100 - 3.8) / stdA, 0}, within(1e-12));
    assertThat(out.column(1)).containsExactly(new double[] {7, 0}, within(1e-12));
    assertThat(out.column(2))
        .containsExactly(new double[] {-(1.0 / 6) / stdInd, (5.0 / 6) / stdInd}, within(1e-12));

    // The same rows inside a fit on all rows would look different: the spec did not refit.
    LocalTable refit = spec.fit(T, TestTables.allRows(8)).apply(T, HOLD_OUT);
    assertThat(refit.column(0)[0]).isNotCloseTo(out.column(0)[0], within(1e-3));
  }

  @Test
  void theBriefExampleGivesDeterministicOneHotColumns() {
    Preprocessing spec =
        Preprocessing.fromMap(
            Map.of(
                "standardize",
                true,
                "impute",
                "mean",
                "bins",
                Map.of("method", "quantile", "count", 2, "encoding", "one-hot")));
    FittedPreprocessing fitted = spec.fit(T, TRAIN);
    // a: imputed 1, 3.8, 3, 4, 5, 6 -> median of the standardized values -> one cut, 2 bins.
    // b: constant -> 1 bin. Each gets a missing bin.
    List<String> expected =
        List.of("a__bin0", "a__bin1", "a__bin_missing", "b__bin0", "b__bin_missing");
    assertThat(fitted.outputColumns()).isEqualTo(expected);
    assertThat(spec.fit(T, TRAIN).outputColumns()).isEqualTo(expected);
    LocalTable train = fitted.apply(T, TRAIN);
    assertThat(train.featureNames()).isEqualTo(expected);
    // Training a values 1, 3.8, 3, 4, 5, 6: median 3.9 -> 1, 3.8, 3 low; 4, 5, 6 high.
    assertThat(TestTables.column(train, "a__bin1")).containsExactly(0, 0, 0, 1, 1, 1);
    LocalTable holdOut = fitted.apply(T, HOLD_OUT);
    // Row 7 (a missing) was mean-imputed to 3.8 -> low bin; never the missing bin.
    assertThat(TestTables.column(holdOut, "a__bin0")).containsExactly(0, 1);
    assertThat(TestTables.column(holdOut, "a__bin_missing")).containsExactly(0, 0);
  }

  @Test
  void noStepsOnlySelectsRowsAndColumnsMustMatch() {
    FittedPreprocessing none = Preprocessing.none().fit(T, TRAIN);
    LocalTable out = none.apply(T, new int[] {7, 0});
    assertThat(out.ids()).containsExactly("r7", "r0");
    assertThat(out.column(1)).containsExactly(2, 2);

    LocalTable other = TestTables.of(List.of("a", "c"), new double[] {1}, new double[] {1});
    assertThatThrownBy(() -> none.apply(other))
        .isInstanceOf(PreprocessingException.class)
        .hasMessageContaining("position 1 ('b' expected, 'c' found)");
  }
}
