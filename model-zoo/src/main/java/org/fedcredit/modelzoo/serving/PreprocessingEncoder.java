package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.preprocess.FittedTransform;
import org.fedcredit.modelzoo.preprocess.MissingValueImputer;
import org.fedcredit.modelzoo.preprocess.Preprocessing;
import org.fedcredit.modelzoo.preprocess.PreprocessingException;
import org.fedcredit.modelzoo.preprocess.QuantileBinner;
import org.fedcredit.modelzoo.preprocess.Standardizer;

/**
 * A party's fitted {@link FittedPreprocessing} applied to one raw row. It runs the very transforms
 * that made the training and hold-out tables (on a one-row table), so a served row gets the values
 * the batch evaluation computed, bit for bit.
 *
 * <p>Shard form: {@code {type: "preprocessing", input_columns: [...], steps: [...]}}, each step
 * {@code {type: "impute", fill: "mean" | "constant", constant?, indicators, columns, fill_values,
 * columns_with_missing}}, {@code {type: "standardize", columns, means, stds, constant_columns}} or
 * {@code {type: "quantile-bins", count, encoding: "one-hot" | "index", columns, cuts}}.
 */
public record PreprocessingEncoder(FittedPreprocessing fitted) implements RowEncoder {

  static final String TYPE = "preprocessing";

  public PreprocessingEncoder {
    Objects.requireNonNull(fitted, "fitted");
    if (fitted.spec().steps().size() != fitted.transforms().size()) {
      throw new IllegalArgumentException(
          fitted.spec().steps().size()
              + " preprocessing steps but "
              + fitted.transforms().size()
              + " fitted transforms");
    }
  }

  @Override
  public List<String> rawColumns() {
    return fitted.inputColumns();
  }

  @Override
  public List<String> modelColumns() {
    return fitted.outputColumns();
  }

  @Override
  public List<String> sourceColumns() {
    // source.get(k): the raw column behind column k of the current stage
    List<String> source = fitted.inputColumns();
    for (FittedTransform t : fitted.transforms()) {
      List<String> next = new ArrayList<>();
      if (t instanceof MissingValueImputer m) {
        next.addAll(source);
        if (m.addIndicators()) {
          for (String c : m.columnsWithMissing()) {
            next.add(source.get(m.columns().indexOf(c)));
          }
        }
      } else if (t instanceof Standardizer) {
        next.addAll(source);
      } else {
        QuantileBinner q = (QuantileBinner) t;
        for (int j = 0; j < q.columns().size(); j++) {
          int outputs = q.encoding() == QuantileBinner.Encoding.INDEX ? 1 : q.regularBins(j) + 1;
          for (int k = 0; k < outputs; k++) {
            next.add(source.get(j));
          }
        }
      }
      if (next.size() != t.outputColumns().size()) {
        throw new IllegalStateException(
            "source columns " + next + " do not match outputs " + t.outputColumns());
      }
      source = next;
    }
    return List.copyOf(source);
  }

  @Override
  public double[] encode(Map<String, Double> raw) {
    List<String> in = fitted.inputColumns();
    double[] x = new double[in.size()];
    for (int j = 0; j < x.length; j++) {
      x[j] = RowEncoder.value(raw, in.get(j));
    }
    return encodeRow(x);
  }

  /**
   * The steps applied to the row's values directly, with the very arithmetic of their {@code apply}
   * on a table — so the same values bit for bit — but without building a one-row table per step:
   * the bank encodes its row once per scoring, and a refusal's counterfactual search re-scores a
   * few hundred times. Binning, and an infinite value (an error the table path words), go through
   * {@link #encodeAsTable}.
   */
  private double[] encodeRow(double[] row) {
    double[] x = row;
    for (FittedTransform t : fitted.transforms()) {
      if (t instanceof QuantileBinner || hasInfinite(x)) {
        return encodeAsTable(row);
      }
      x = t instanceof MissingValueImputer m ? impute(m, x) : standardize((Standardizer) t, x);
    }
    return x;
  }

  private static boolean hasInfinite(double[] x) {
    for (double v : x) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    return false;
  }

  private static double[] impute(MissingValueImputer m, double[] x) {
    List<String> columns = m.columns();
    double[] out =
        new double[columns.size() + (m.addIndicators() ? m.columnsWithMissing().size() : 0)];
    int indicator = columns.size();
    for (int j = 0; j < columns.size(); j++) {
      boolean missing = Double.isNaN(x[j]);
      out[j] = missing ? m.fillValues().get(j) : x[j];
      if (m.addIndicators() && m.columnsWithMissing().contains(columns.get(j))) {
        out[indicator++] = missing ? 1 : 0;
      }
    }
    return out;
  }

  private static double[] standardize(Standardizer z, double[] x) {
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (x[j] - z.means().get(j)) / z.stds().get(j);
    }
    return out;
  }

  /** The fitted steps through a one-row table (binning, or an infinite value to report). */
  private double[] encodeAsTable(double[] x) {
    List<String> in = fitted.inputColumns();
    double[][] columns = new double[in.size()][1];
    for (int j = 0; j < columns.length; j++) {
      columns[j][0] = x[j];
    }
    LocalTable row = new LocalTable("raw row", List.of("row"), in, columns, null);
    LocalTable out;
    try {
      out = fitted.apply(row);
    } catch (PreprocessingException e) {
      throw new ScoringException(e.getMessage(), e);
    }
    double[] z = new double[out.features()];
    for (int j = 0; j < z.length; j++) {
      z[j] = out.value(0, j);
    }
    return z;
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", TYPE);
    out.put("input_columns", fitted.inputColumns());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int k = 0; k < fitted.transforms().size(); k++) {
      Preprocessing.Step spec = fitted.spec().steps().get(k);
      FittedTransform t = fitted.transforms().get(k);
      Map<String, Object> s = new LinkedHashMap<>();
      if (t instanceof MissingValueImputer m) {
        Preprocessing.Impute i = (Preprocessing.Impute) spec;
        s.put("type", "impute");
        if (i.fill() instanceof MissingValueImputer.Fill.Constant c) {
          s.put("fill", "constant");
          s.put("constant", c.value());
        } else {
          s.put("fill", "mean");
        }
        s.put("indicators", m.addIndicators());
        s.put("columns", m.columns());
        s.put("fill_values", m.fillValues());
        s.put("columns_with_missing", m.columnsWithMissing());
      } else if (t instanceof Standardizer z) {
        s.put("type", "standardize");
        s.put("columns", z.columns());
        s.put("means", z.means());
        s.put("stds", z.stds());
        s.put("constant_columns", z.constantColumns());
      } else {
        QuantileBinner q = (QuantileBinner) t;
        s.put("type", "quantile-bins");
        s.put("count", ((Preprocessing.Bins) spec).count());
        s.put("encoding", q.encoding() == QuantileBinner.Encoding.INDEX ? "index" : "one-hot");
        s.put("columns", q.columns());
        s.put("cuts", q.cuts());
      }
      steps.add(s);
    }
    out.put("steps", steps);
    return out;
  }

  static PreprocessingEncoder fromShard(ShardFields f) {
    List<String> input = f.strings("input_columns");
    List<Preprocessing.Step> specs = new ArrayList<>();
    List<FittedTransform> transforms = new ArrayList<>();
    for (ShardFields s : f.objects("steps")) {
      String type = s.string("type");
      try {
        switch (type) {
          case "impute" -> {
            String fill = s.string("fill");
            MissingValueImputer.Fill how =
                switch (fill) {
                  case "mean" -> new MissingValueImputer.Fill.Mean();
                  case "constant" -> new MissingValueImputer.Fill.Constant(s.number("constant"));
                  default -> throw s.error("fill", "expected mean or constant, got '" + fill + "'");
                };
            boolean indicators = s.bool("indicators");
            specs.add(new Preprocessing.Impute(how, indicators));
            transforms.add(
                new MissingValueImputer(
                    s.strings("columns"),
                    boxed(s.numbers("fill_values")),
                    s.strings("columns_with_missing"),
                    indicators));
          }
          case "standardize" -> {
            specs.add(new Preprocessing.Standardize());
            transforms.add(
                new Standardizer(
                    s.strings("columns"),
                    boxed(s.numbers("means")),
                    boxed(s.numbers("stds")),
                    s.strings("constant_columns")));
          }
          case "quantile-bins" -> {
            String e = s.string("encoding");
            QuantileBinner.Encoding encoding =
                switch (e) {
                  case "one-hot" -> QuantileBinner.Encoding.ONE_HOT;
                  case "index" -> QuantileBinner.Encoding.INDEX;
                  default ->
                      throw s.error("encoding", "expected one-hot or index, got '" + e + "'");
                };
            specs.add(new Preprocessing.Bins(s.integer("count"), encoding));
            List<?> rawCuts = s.list("cuts");
            List<List<Double>> cuts = new ArrayList<>();
            for (int j = 0; j < rawCuts.size(); j++) {
              if (!(rawCuts.get(j) instanceof List<?> l)) {
                throw s.error("cuts[" + j + "]", "expected a list of numbers");
              }
              List<Double> c = new ArrayList<>();
              for (Object x : l) {
                if (!(x instanceof Number n)) {
                  throw s.error("cuts[" + j + "]", "expected numbers, got " + x);
                }
                c.add(n.doubleValue());
              }
              cuts.add(c);
            }
            transforms.add(new QuantileBinner(s.strings("columns"), cuts, encoding));
          }
          default ->
              throw s.error(
                  "type", "unknown step '" + type + "'; known: impute, standardize, quantile-bins");
        }
      } catch (IllegalArgumentException e) {
        throw new ShardFormatException(s.where("type") + " (" + type + "): " + e.getMessage(), e);
      }
    }
    try {
      return new PreprocessingEncoder(
          new FittedPreprocessing(new Preprocessing(specs), input, transforms));
    } catch (IllegalArgumentException e) {
      throw new ShardFormatException(f.where("steps") + ": " + e.getMessage(), e);
    }
  }

  private static List<Double> boxed(double[] x) {
    List<Double> out = new ArrayList<>(x.length);
    for (double v : x) {
      out.add(v);
    }
    return out;
  }
}
