package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.secureboost.TreeBinning;

/**
 * One SecureBoost party's columns: its fitted preprocessing and the tree bin edges of each model
 * column, turning a raw row into the bin indices the trees were trained on. Shard keys: {@code
 * feature_names} (model columns), {@code source_columns}, {@code encoder}, {@code bin_edges}.
 */
record TreeColumns(RowEncoder encoder, List<double[]> edges) {

  TreeColumns {
    Objects.requireNonNull(encoder, "encoder");
    edges = edges.stream().map(double[]::clone).toList();
    TreeBinning.of(encoder.modelColumns(), edges); // validates
  }

  /** The bin of each model column for {@code raw} ({@code BinnedTable.MISSING} for missing). */
  int[] bins(Map<String, Double> raw) {
    double[] z = encoder.encode(raw);
    return TreeBinning.of(encoder.modelColumns(), edges).apply(new double[][] {z}).bins()[0];
  }

  void write(Map<String, Object> shard) {
    shard.put("feature_names", encoder.modelColumns());
    shard.put("source_columns", encoder.sourceColumns());
    shard.put("encoder", encoder.toShard());
    List<List<Double>> e = new ArrayList<>();
    for (double[] x : edges) {
      e.add(LinearColumns.list(x));
    }
    shard.put("bin_edges", e);
  }

  static TreeColumns read(ShardFields f) {
    RowEncoder encoder = RowEncoder.fromShard(f.object("encoder"));
    List<String> names = f.strings("feature_names");
    if (!names.equals(encoder.modelColumns())) {
      throw f.error(
          "feature_names",
          names + " differ from the encoder's model columns " + encoder.modelColumns());
    }
    List<?> raw = f.list("bin_edges");
    if (raw.size() != names.size()) {
      throw f.error("bin_edges", raw.size() + " edge lists for " + names.size() + " model columns");
    }
    List<double[]> edges = new ArrayList<>();
    for (int j = 0; j < raw.size(); j++) {
      if (!(raw.get(j) instanceof List<?> l)) {
        throw f.error("bin_edges[" + j + "]", "expected a list of numbers");
      }
      double[] e = new double[l.size()];
      for (int k = 0; k < e.length; k++) {
        if (!(l.get(k) instanceof Number n)) {
          throw f.error("bin_edges[" + j + "][" + k + "]", "expected a number, got " + l.get(k));
        }
        e[k] = n.doubleValue();
      }
      edges.add(e);
    }
    try {
      return new TreeColumns(encoder, edges);
    } catch (IllegalArgumentException e) {
      throw f.error("bin_edges", e.getMessage());
    }
  }

  /** A fresh map of the common keys, for building a shard. */
  static Map<String, Object> header(String job, String party, String role) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("format", PartyModel.FORMAT);
    s.put("job", job);
    s.put("party", party);
    s.put("role", role);
    s.put("algorithm", "secureboost");
    return s;
  }
}
