package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.secureboost.SplitRule;

/**
 * A feature party's part of a SecureBoost model: its fitted preprocessing, its tree bin edges and
 * its split table (the splits it owns, which only it can evaluate). {@link #part} routes a raw row
 * at every owned split exactly as the hold-out routing did (same bins; a missing value follows the
 * learned default direction).
 *
 * <p>Shard keys, besides the common ones: {@code feature_names}, {@code source_columns}, {@code
 * encoder}, {@code bin_edges} (per model column, the upper bin edges: bin = index of the first edge
 * ≥ value, or the last bin), {@code splits: [{tree, node, feature, column, source_column,
 * threshold_bin, threshold, missing_left}]} (a row goes left iff its bin ≤ threshold_bin, i.e. its
 * model column value ≤ threshold; {@code threshold} is informative, routing uses the bins), and the
 * legacy {@code split_rules}.
 *
 * @param splits the splits this party owns
 */
public record TreeFeatureModel(
    String job, String party, RowEncoder encoder, List<double[]> binEdges, List<OwnedSplit> splits)
    implements FeatureModel {

  /**
   * A split owned by the party.
   *
   * @param tree tree index
   * @param node heap index of the node in the tree
   * @param rule the rule on the party's binned model column {@code rule.feature()}
   */
  public record OwnedSplit(int tree, int node, SplitRule rule) {
    public OwnedSplit {
      Objects.requireNonNull(rule, "rule");
    }
  }

  public TreeFeatureModel {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(party, "party");
    splits = List.copyOf(splits);
    TreeColumns c = new TreeColumns(encoder, binEdges);
    binEdges = c.edges();
    for (OwnedSplit s : splits) {
      int f = s.rule().feature();
      if (f < 0 || f >= binEdges.size()) {
        throw new IllegalArgumentException(
            "split tree "
                + s.tree()
                + " node "
                + s.node()
                + " tests feature "
                + f
                + " of "
                + binEdges.size());
      }
    }
  }

  @Override
  public String algorithm() {
    return "secureboost";
  }

  @Override
  public TreePart part(Map<String, Double> raw, boolean discloseColumns) {
    int[] bins = new TreeColumns(encoder, binEdges).bins(raw);
    List<String> sources = encoder.sourceColumns();
    Map<String, Boolean> left = new LinkedHashMap<>();
    Map<String, String> columns = new LinkedHashMap<>();
    for (OwnedSplit s : splits) {
      String id = TreePart.splitId(s.tree(), s.node());
      left.put(id, s.rule().goesLeft(bins[s.rule().feature()]));
      if (discloseColumns) {
        columns.put(id, sources.get(s.rule().feature()));
      }
    }
    return new TreePart(party, left, columns);
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> s = TreeColumns.header(job, party, "feature-party");
    new TreeColumns(encoder, binEdges).write(s);
    List<String> names = encoder.modelColumns();
    List<String> sources = encoder.sourceColumns();
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Object> legacy = new java.util.TreeMap<>();
    for (OwnedSplit o : splits) {
      SplitRule r = o.rule();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tree", o.tree());
      m.put("node", o.node());
      m.put("feature", r.feature());
      m.put("column", names.get(r.feature()));
      m.put("source_column", sources.get(r.feature()));
      m.put("threshold_bin", r.thresholdBin());
      double[] e = binEdges.get(r.feature());
      if (r.thresholdBin() >= 0 && r.thresholdBin() < e.length) {
        m.put("threshold", e[r.thresholdBin()]);
      }
      m.put("missing_left", r.missingLeft());
      out.add(m);
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("feature", r.feature());
      rule.put("thresholdBin", r.thresholdBin());
      rule.put("missingLeft", r.missingLeft());
      legacy.put("tree " + o.tree() + " node " + o.node(), rule);
    }
    s.put("splits", out);
    s.put("split_rules", legacy);
    return s;
  }

  static TreeFeatureModel fromShard(ShardFields f) {
    TreeColumns c = TreeColumns.read(f);
    List<OwnedSplit> splits = new ArrayList<>();
    for (ShardFields s : f.objects("splits")) {
      int feature = s.integer("feature");
      if (feature < 0 || feature >= c.edges().size()) {
        throw s.error(
            "feature",
            feature + " is not a model column index (0.." + (c.edges().size() - 1) + ")");
      }
      if (!s.string("column").equals(c.encoder().modelColumns().get(feature))) {
        throw s.error(
            "column",
            "'"
                + s.string("column")
                + "' is not model column "
                + feature
                + " ('"
                + c.encoder().modelColumns().get(feature)
                + "')");
      }
      splits.add(
          new OwnedSplit(
              s.integer("tree"),
              s.integer("node"),
              new SplitRule(feature, s.integer("threshold_bin"), s.bool("missing_left"))));
    }
    return new TreeFeatureModel(f.string("job"), f.string("party"), c.encoder(), c.edges(), splits);
  }
}
