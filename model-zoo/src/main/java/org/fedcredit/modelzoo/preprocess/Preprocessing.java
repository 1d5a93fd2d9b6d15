package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.MissingValueImputer.Fill;
import org.fedcredit.modelzoo.preprocess.QuantileBinner.Encoding;

/**
 * A party's local preprocessing spec: an ordered list of steps, each fitted on the output of the
 * previous one over the training rows only, then applied unchanged to any rows.
 *
 * <p>{@link #fromMap(Map)} reads the spec as a YAML parser gives it. Keys and defaults:
 *
 * <pre>
 * impute:      none (default) | mean | {strategy: mean | constant, value: &lt;number&gt;, indicator: false}
 * standardize: false (default) | true
 * bins:        none (default) | {method: quantile, count: 10, encoding: one-hot | index}
 * </pre>
 *
 * <p>Whatever the key order in the map, steps run in the fixed order impute → standardize → bins
 * (imputing first means the standardizer's mean and std include the filled values, as in a
 * scikit-learn pipeline). Standardizing before binning leaves the bins unchanged up to rounding
 * (quantile bins are invariant under increasing maps); it is accepted so that one spec can switch
 * bins on and off. Mean imputation before binning means no value reaches the missing bin. Each step
 * transforms every column of its input, including indicator columns added before it.
 *
 * <p>Unknown keys, unknown values and ill-typed values are rejected with a {@link
 * PreprocessingException} naming the key path (e.g. {@code bins.encoding}) and the accepted values.
 * An empty map means no preprocessing; a key whose value is null (YAML {@code impute:} with nothing
 * after it) counts as absent.
 *
 * @param steps the steps in the order they run
 */
public record Preprocessing(List<Step> steps) {

  /** One step of a spec. */
  public sealed interface Step {}

  /** Impute missing values ({@link MissingValueImputer}). */
  public record Impute(Fill fill, boolean indicators) implements Step {
    public Impute {
      Objects.requireNonNull(fill, "fill");
    }
  }

  /** Z-score every column ({@link Standardizer}). */
  public record Standardize() implements Step {}

  /** Quantile bins ({@link QuantileBinner}); {@code count} at least 2. */
  public record Bins(int count, Encoding encoding) implements Step {
    public Bins {
      Objects.requireNonNull(encoding, "encoding");
      if (count < 2) {
        throw new PreprocessingException("bins.count must be at least 2, got " + count);
      }
    }
  }

  /** Default number of quantile bins. */
  public static final int DEFAULT_BIN_COUNT = 10;

  public Preprocessing {
    steps = List.copyOf(steps);
  }

  /** No preprocessing: fitting and applying only selects rows. */
  public static Preprocessing none() {
    return new Preprocessing(List.of());
  }

  private static final List<String> TOP_KEYS = List.of("impute", "standardize", "bins");
  private static final List<String> IMPUTE_KEYS = List.of("strategy", "value", "indicator");
  private static final List<String> BIN_KEYS = List.of("method", "count", "encoding");

  /**
   * Parses a spec from the map a YAML parser produces (string keys; booleans, numbers, strings and
   * nested maps as values).
   *
   * @throws PreprocessingException naming the key path for an unknown key, an unknown value or a
   *     value of the wrong type
   */
  public static Preprocessing fromMap(Map<?, ?> config) {
    Objects.requireNonNull(config, "config");
    checkKeys(config, TOP_KEYS, "preprocessing");
    List<Step> steps = new ArrayList<>();
    Object impute = config.get("impute");
    if (impute != null && !"none".equals(impute)) {
      steps.add(parseImpute(impute));
    }
    Object standardize = config.get("standardize");
    if (standardize != null) {
      if (!(standardize instanceof Boolean b)) {
        throw wrongType("standardize", standardize, "true or false");
      }
      if (b) {
        steps.add(new Standardize());
      }
    }
    Object bins = config.get("bins");
    if (bins != null && !"none".equals(bins)) {
      steps.add(parseBins(bins));
    }
    return new Preprocessing(steps);
  }

  private static Step parseImpute(Object value) {
    if ("mean".equals(value)) {
      return new Impute(new Fill.Mean(), false);
    }
    if ("constant".equals(value)) {
      throw new PreprocessingException(
          "impute: 'constant' needs a value; write impute: {strategy: constant, value: 0}");
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw wrongType(
          "impute",
          value,
          "none, mean, or a map {strategy: mean | constant, value: <number>, indicator: <bool>}");
    }
    checkKeys(map, IMPUTE_KEYS, "impute");
    Object strategy = map.containsKey("strategy") ? map.get("strategy") : "mean";
    Object constant = map.get("value");
    boolean indicator = false;
    if (map.get("indicator") != null) {
      if (!(map.get("indicator") instanceof Boolean b)) {
        throw wrongType("impute.indicator", map.get("indicator"), "true or false");
      }
      indicator = b;
    }
    Fill fill;
    if ("mean".equals(strategy)) {
      if (constant != null) {
        throw new PreprocessingException(
            "impute.value is only used with strategy: constant, but strategy is mean;"
                + " remove value or set strategy: constant");
      }
      fill = new Fill.Mean();
    } else if ("constant".equals(strategy)) {
      if (!(constant instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new PreprocessingException(
            "impute.value must be a finite number with strategy: constant, got "
                + describe(constant));
      }
      fill = new Fill.Constant(n.doubleValue());
    } else {
      throw unknownValue("impute.strategy", strategy, List.of("mean", "constant"));
    }
    return new Impute(fill, indicator);
  }

  private static Step parseBins(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw wrongType(
          "bins",
          value,
          "none or a map {method: quantile, count: <int>, encoding: one-hot | index}");
    }
    checkKeys(map, BIN_KEYS, "bins");
    Object method = map.containsKey("method") ? map.get("method") : "quantile";
    if (!"quantile".equals(method)) {
      throw unknownValue("bins.method", method, List.of("quantile"));
    }
    int count = DEFAULT_BIN_COUNT;
    Object c = map.get("count");
    if (c != null) {
      if (!(c instanceof Integer || c instanceof Long || c instanceof Short || c instanceof Byte)) {
        throw wrongType("bins.count", c, "a whole number of at least 2");
      }
      long n = ((Number) c).longValue();
      if (n < 2 || n > 10_000) {
        throw new PreprocessingException("bins.count must be between 2 and 10000, got " + n);
      }
      count = (int) n;
    }
    Object e = map.containsKey("encoding") ? map.get("encoding") : "one-hot";
    Encoding encoding;
    if ("one-hot".equals(e)) {
      encoding = Encoding.ONE_HOT;
    } else if ("index".equals(e)) {
      encoding = Encoding.INDEX;
    } else {
      throw unknownValue("bins.encoding", e, List.of("one-hot", "index"));
    }
    return new Bins(count, encoding);
  }

  private static void checkKeys(Map<?, ?> map, List<String> known, String where) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String) || !known.contains(key)) {
        throw new PreprocessingException(
            where + ": unknown key '" + key + "'; known keys are " + String.join(", ", known));
      }
    }
  }

  private static PreprocessingException wrongType(String key, Object value, String expected) {
    return new PreprocessingException(key + ": expected " + expected + ", got " + describe(value));
  }

  private static PreprocessingException unknownValue(String key, Object value, List<String> ok) {
    return new PreprocessingException(
        key
            + ": unknown value "
            + describe(value)
            + "; accepted values are "
            + String.join(", ", ok));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    String text = value instanceof String ? "'" + value + "'" : String.valueOf(value);
    return text + " (" + value.getClass().getSimpleName() + ")";
  }

  /**
   * Fits every step on {@code trainingRows} of {@code table}, each on the previous step's output.
   *
   * @throws PreprocessingException if the data cannot be fitted (see each transform)
   */
  public FittedPreprocessing fit(LocalTable table, int[] trainingRows) {
    Objects.requireNonNull(table, "table");
    Tables.checkRows(table, trainingRows, "training row");
    List<FittedTransform> fitted = new ArrayList<>();
    LocalTable current = table;
    int[] rows = trainingRows;
    for (Step step : steps) {
      FittedTransform t;
      if (step instanceof Impute i) {
        t = MissingValueImputer.fit(current, rows, i.fill(), i.indicators());
      } else if (step instanceof Standardize) {
        t = Standardizer.fit(current, rows);
      } else {
        Bins b = (Bins) step;
        t = QuantileBinner.fit(current, rows, b.count(), b.encoding());
      }
      fitted.add(t);
      current = t.apply(current, rows);
      rows = Tables.allRows(current);
    }
    return new FittedPreprocessing(this, table.featureNames(), fitted);
  }
}
