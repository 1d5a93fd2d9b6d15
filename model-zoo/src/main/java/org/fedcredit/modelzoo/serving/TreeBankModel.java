package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.fedcredit.modelzoo.secureboost.BoostedTree;
import org.fedcredit.modelzoo.secureboost.SecureBoostLabelParty;
import org.fedcredit.modelzoo.secureboost.SplitRule;
import org.fedcredit.modelzoo.secureboost.TreeNode;

/**
 * The bank's part of a SecureBoost model: its fitted preprocessing and tree bin edges, the trees
 * (its own splits with their rules, the feature parties' splits by owner only, the leaf values, and
 * every node's training cover), and the feature parties in job order. {@link #score} walks every
 * tree as the batch hold-out prediction does.
 *
 * <p>Shard keys, besides the common ones: {@code feature_names}, {@code source_columns}, {@code
 * encoder}, {@code bin_edges} (as in {@link TreeFeatureModel}), {@code feature_parties}, {@code
 * base_margin} (0), {@code trees: [{nodes: [{id, kind: "leaf" | "bank" | "party", cover, value
 * (leaf), feature, column, threshold_bin, missing_left (bank), party (party)}]}]}; leaf values
 * already include the learning rate, so {@code margin = base_margin + Σ leaf values}.
 *
 * @param trees the trees in order
 */
public record TreeBankModel(
    String job,
    String party,
    RowEncoder encoder,
    List<double[]> binEdges,
    List<String> featureParties,
    List<StoredTree> trees)
    implements BankModel {

  /** A node of a stored tree. */
  public sealed interface StoredNode {
    /** Training rows that reached the node. */
    int cover();
  }

  /** A leaf; {@code value} is added to the margin (learning rate applied). */
  public record Leaf(double value, int cover) implements StoredNode {}

  /** A split on one of the bank's model columns. */
  public record BankSplit(SplitRule rule, int cover) implements StoredNode {}

  /** A split owned by feature party {@code party}; only it knows the rule. */
  public record PartySplit(String party, int cover) implements StoredNode {}

  /** One tree: nodes by heap id. */
  public record StoredTree(Map<Integer, StoredNode> nodes) {
    public StoredTree {
      nodes = java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
    }
  }

  public TreeBankModel {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(party, "party");
    featureParties = List.copyOf(featureParties);
    trees = List.copyOf(trees);
    binEdges = new TreeColumns(encoder, binEdges).edges();
    for (int t = 0; t < trees.size(); t++) {
      Map<Integer, StoredNode> nodes = trees.get(t).nodes();
      if (!nodes.containsKey(0)) {
        throw new IllegalArgumentException("tree " + t + " has no root");
      }
      for (var e : nodes.entrySet()) {
        StoredNode n = e.getValue();
        int id = e.getKey();
        if (!(n instanceof Leaf)
            && (!nodes.containsKey(BoostedTree.left(id))
                || !nodes.containsKey(BoostedTree.right(id)))) {
          throw new IllegalArgumentException("tree " + t + " node " + id + " lacks a child");
        }
        if (n instanceof BankSplit b
            && (b.rule().feature() < 0 || b.rule().feature() >= binEdges.size())) {
          throw new IllegalArgumentException(
              "tree " + t + " node " + id + " tests bank feature " + b.rule().feature());
        }
        if (n instanceof PartySplit p && !featureParties.contains(p.party())) {
          throw new IllegalArgumentException(
              "tree " + t + " node " + id + " is owned by unknown party " + p.party());
        }
      }
    }
  }

  /**
   * The served form of a trained bank model.
   *
   * @param featureParties the feature parties in job order (party 1, 2, … of the trees)
   */
  public static TreeBankModel of(
      String job,
      String party,
      RowEncoder encoder,
      List<double[]> binEdges,
      List<String> featureParties,
      SecureBoostLabelParty.Result result) {
    List<StoredTree> trees = new ArrayList<>();
    for (int t = 0; t < result.trees().size(); t++) {
      Map<Integer, Integer> cover = result.covers().get(t);
      Map<Integer, StoredNode> nodes = new LinkedHashMap<>();
      for (var e : result.trees().get(t).nodes().entrySet()) {
        int c = cover.get(e.getKey());
        TreeNode n = e.getValue();
        if (n instanceof TreeNode.Leaf l) {
          nodes.put(e.getKey(), new Leaf(l.weight(), c));
        } else if (n instanceof TreeNode.Split s) {
          nodes.put(e.getKey(), new BankSplit(s.rule(), c));
        } else {
          int p = ((TreeNode.HiddenSplit) n).party();
          nodes.put(e.getKey(), new PartySplit(featureParties.get(p - 1), c));
        }
      }
      trees.add(new StoredTree(nodes));
    }
    return new TreeBankModel(job, party, encoder, binEdges, featureParties, trees);
  }

  @Override
  public String algorithm() {
    return "secureboost";
  }

  /** Scores one application; {@code parts} must hold a {@link TreePart} per feature party. */
  @Override
  public TreeScore score(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts) {
    Map<String, TreePart> tree =
        FeatureParts.require(parts, featureParties, TreePart.class, "a SecureBoost model", job);
    int[] bins = new TreeColumns(encoder, binEdges).bins(raw);
    List<String> sources = encoder.sourceColumns();
    double margin = 0;
    List<TreeScore.ExplainedTree> explained = new ArrayList<>();
    for (int t = 0; t < trees.size(); t++) {
      Map<Integer, StoredNode> nodes = trees.get(t).nodes();
      Map<Integer, Boolean> direction = new TreeMap<>();
      List<TreeScore.ExplainedNode> out = new ArrayList<>();
      for (var e : nodes.entrySet()) {
        int id = e.getKey();
        StoredNode n = e.getValue();
        if (n instanceof Leaf l) {
          out.add(
              new TreeScore.ExplainedNode(
                  id,
                  true,
                  -1,
                  -1,
                  party,
                  Optional.empty(),
                  l.cover(),
                  l.value(),
                  Optional.empty()));
          continue;
        }
        boolean left;
        String owner;
        Optional<String> column;
        if (n instanceof BankSplit b) {
          left = b.rule().goesLeft(bins[b.rule().feature()]);
          owner = party;
          column = Optional.of(sources.get(b.rule().feature()));
        } else {
          PartySplit p = (PartySplit) n;
          left = tree.get(p.party()).goesLeft(t, id);
          owner = p.party();
          column = tree.get(p.party()).splitColumn(t, id);
        }
        direction.put(id, left);
        out.add(
            new TreeScore.ExplainedNode(
                id,
                false,
                BoostedTree.left(id),
                BoostedTree.right(id),
                owner,
                column,
                n.cover(),
                0,
                Optional.of(left)));
      }
      int node = 0;
      while (!(nodes.get(node) instanceof Leaf l)) {
        node = direction.get(node) ? BoostedTree.left(node) : BoostedTree.right(node);
      }
      margin += l.value();
      explained.add(new TreeScore.ExplainedTree(out));
    }
    return new TreeScore(margin, explained);
  }

  /**
   * {@code score(raw, parts).margin()}, the same double to the bit (the same leaves added in the
   * same order), walking only the row's path through each tree and building no explanation: what
   * the counterfactual search re-scores each candidate with. Only the directions on that path are
   * looked up, so a part that lacks a direction elsewhere is refused by {@link #score}, not here.
   */
  @Override
  public double margin(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts) {
    Map<String, TreePart> tree =
        FeatureParts.require(parts, featureParties, TreePart.class, "a SecureBoost model", job);
    int[] bins = new TreeColumns(encoder, binEdges).bins(raw);
    double margin = 0;
    for (int t = 0; t < trees.size(); t++) {
      Map<Integer, StoredNode> nodes = trees.get(t).nodes();
      int node = 0;
      StoredNode n = nodes.get(node);
      while (!(n instanceof Leaf l)) {
        boolean left =
            n instanceof BankSplit b
                ? b.rule().goesLeft(bins[b.rule().feature()])
                : tree.get(((PartySplit) n).party()).goesLeft(t, node);
        node = left ? BoostedTree.left(node) : BoostedTree.right(node);
        n = nodes.get(node);
      }
      margin += l.value();
    }
    return margin;
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> s = TreeColumns.header(job, party, "label-party");
    new TreeColumns(encoder, binEdges).write(s);
    s.put("feature_parties", featureParties);
    s.put("base_margin", 0.0);
    List<String> names = encoder.modelColumns();
    List<Map<String, Object>> ts = new ArrayList<>();
    for (StoredTree tree : trees) {
      List<Map<String, Object>> ns = new ArrayList<>();
      for (var e : tree.nodes().entrySet()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.getKey());
        StoredNode n = e.getValue();
        if (n instanceof Leaf l) {
          m.put("kind", "leaf");
          m.put("value", l.value());
        } else if (n instanceof BankSplit b) {
          m.put("kind", "bank");
          m.put("feature", b.rule().feature());
          m.put("column", names.get(b.rule().feature()));
          m.put("threshold_bin", b.rule().thresholdBin());
          m.put("missing_left", b.rule().missingLeft());
        } else {
          m.put("kind", "party");
          m.put("party", ((PartySplit) n).party());
        }
        m.put("cover", n.cover());
        ns.add(m);
      }
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("nodes", ns);
      ts.add(tm);
    }
    s.put("trees", ts);
    return s;
  }

  static TreeBankModel fromShard(ShardFields f) {
    TreeColumns c = TreeColumns.read(f);
    if (f.number("base_margin") != 0) {
      throw f.error("base_margin", "must be 0 (SecureBoost starts every margin at 0)");
    }
    List<String> parties = f.strings("feature_parties");
    List<StoredTree> trees = new ArrayList<>();
    for (ShardFields t : f.objects("trees")) {
      Map<Integer, StoredNode> nodes = new LinkedHashMap<>();
      for (ShardFields n : t.objects("nodes")) {
        int id = n.integer("id");
        int cover = n.integer("cover");
        String kind = n.string("kind");
        StoredNode node =
            switch (kind) {
              case "leaf" -> new Leaf(n.number("value"), cover);
              case "bank" -> {
                int feature = n.integer("feature");
                if (feature < 0 || feature >= c.edges().size()) {
                  throw n.error("feature", feature + " is not a bank model column index");
                }
                yield new BankSplit(
                    new SplitRule(feature, n.integer("threshold_bin"), n.bool("missing_left")),
                    cover);
              }
              case "party" -> new PartySplit(n.string("party"), cover);
              default -> throw n.error("kind", "expected leaf, bank or party, got '" + kind + "'");
            };
        if (nodes.put(id, node) != null) {
          throw n.error("id", "node " + id + " appears twice");
        }
      }
      trees.add(new StoredTree(nodes));
    }
    try {
      return new TreeBankModel(
          f.string("job"), f.string("party"), c.encoder(), c.edges(), parties, trees);
    } catch (IllegalArgumentException e) {
      throw f.error("trees", e.getMessage());
    }
  }
}
