package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One party's columns of a linear model: the raw-row encoder, a weight and a training mean per
 * model column. Shard keys: {@code feature_names, weights, training_means, source_columns,
 * encoder}.
 */
record LinearColumns(RowEncoder encoder, double[] weights, double[] trainingMeans) {

  LinearColumns {
    Objects.requireNonNull(encoder, "encoder");
    weights = weights.clone();
    trainingMeans = trainingMeans.clone();
    int n = encoder.modelColumns().size();
    if (weights.length != n || trainingMeans.length != n) {
      throw new IllegalArgumentException(
          n + " model columns, " + weights.length + " weights, " + trainingMeans.length + " means");
    }
  }

  /** The terms of {@code raw}, in model column order. */
  List<LinearTerm> terms(Map<String, Double> raw) {
    double[] z = encoder.encode(raw);
    List<String> names = encoder.modelColumns();
    List<String> sources = encoder.sourceColumns();
    List<LinearTerm> out = new ArrayList<>(z.length);
    for (int j = 0; j < z.length; j++) {
      out.add(new LinearTerm(names.get(j), sources.get(j), weights[j], z[j], trainingMeans[j]));
    }
    return out;
  }

  /** {@code start + Σ w·z}, summed in column order as the batch evaluation does. */
  static double margin(double start, List<LinearTerm> terms) {
    double u = start;
    for (LinearTerm t : terms) {
      u += t.weight() * t.value();
    }
    return u;
  }

  void write(Map<String, Object> shard) {
    shard.put("feature_names", encoder.modelColumns());
    shard.put("weights", list(weights));
    shard.put("training_means", list(trainingMeans));
    shard.put("source_columns", encoder.sourceColumns());
    shard.put("encoder", encoder.toShard());
  }

  static LinearColumns read(ShardFields f) {
    RowEncoder encoder = RowEncoder.fromShard(f.object("encoder"));
    List<String> names = f.strings("feature_names");
    if (!names.equals(encoder.modelColumns())) {
      throw f.error(
          "feature_names",
          names + " differ from the encoder's model columns " + encoder.modelColumns());
    }
    double[] w = f.numbers("weights");
    double[] m = f.numbers("training_means");
    if (w.length != names.size() || m.length != names.size()) {
      throw f.error(
          "weights",
          w.length
              + " weights and "
              + m.length
              + " training means for "
              + names.size()
              + " model columns");
    }
    return new LinearColumns(encoder, w, m);
  }

  static List<Double> list(double[] x) {
    List<Double> out = new ArrayList<>(x.length);
    for (double v : x) {
      out.add(v);
    }
    return out;
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[] trainingMeans() {
    return trainingMeans.clone();
  }
}
