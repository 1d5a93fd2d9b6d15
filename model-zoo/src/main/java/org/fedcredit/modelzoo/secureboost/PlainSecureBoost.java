package org.fedcredit.modelzoo.secureboost;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.secureboost.BoostMath.Stats;
import org.fedcredit.modelzoo.secureboost.BoostMath.TreeInputs;

/**
 * SecureBoost without federation or encryption, in one process over every party's binned columns:
 * the specification the federated roles must reproduce exactly (Cheng et al., "SecureBoost: A
 * Lossless Federated Learning Framework", arXiv 1901.08755).
 *
 * <p>Per tree: logistic g and h from the current margins (times sample weights, then GOSS factors),
 * rounded to {@code 2^-scaleBits}; nodes grown breadth-first from the root (heap ids); a node at
 * depth {@code < maxDepth} with at least {@code 2·minSamplesLeaf} sampled rows tries every
 * candidate of every party (parties in job order, the bank first; within a party the canonical
 * order of features, thresholds ascending, missing right before left) and keeps the first with the
 * strictly largest gain; it splits only if that gain is {@code > 0}. Every row, sampled or not,
 * follows the split; a leaf adds {@code −η·G/(H+λ)} to the margin of its rows.
 */
public final class PlainSecureBoost {

  private PlainSecureBoost() {}

  /** The trees with every split rule visible. */
  public record Model(List<BoostedTree> trees) {

    public Model {
      trees = List.copyOf(trees);
    }

    /** Margins (log-odds) of aligned rows given every party's binned columns, bank first. */
    public double[] margins(List<BinnedTable> parties) {
      int n = parties.get(0).rows();
      double[] m = new double[n];
      for (BoostedTree tree : trees) {
        for (int i = 0; i < n; i++) {
          int node = 0;
          while (true) {
            TreeNode t = tree.nodes().get(node);
            if (t instanceof TreeNode.Leaf leaf) {
              m[i] += leaf.weight();
              break;
            }
            TreeNode.Split s = (TreeNode.Split) t;
            int bin = parties.get(s.party()).bins()[i][s.rule().feature()];
            node = s.rule().goesLeft(bin) ? BoostedTree.left(node) : BoostedTree.right(node);
          }
        }
      }
      return m;
    }

    public double[] probabilities(List<BinnedTable> parties) {
      return Arrays.stream(margins(parties)).map(BoostMath::sigmoid).toArray();
    }
  }

  /** Unweighted fit. */
  public static Model fit(List<BinnedTable> parties, int[] labels, SecureBoostConfig config) {
    double[] w = new double[labels.length];
    Arrays.fill(w, 1.0);
    return fit(parties, labels, w, config);
  }

  /**
   * @param parties every party's binned columns, aligned, the bank (label party) first
   * @param labels 0/1 per row
   * @param weights a non-negative weight per row
   */
  public static Model fit(
      List<BinnedTable> parties, int[] labels, double[] weights, SecureBoostConfig config) {
    int n = labels.length;
    for (BinnedTable t : parties) {
      if (t.rows() != n) {
        throw new IllegalArgumentException(
            "a party has " + t.rows() + " rows, the labels " + n + "; align the tables first");
      }
    }
    double[] margin = new double[n];
    List<BoostedTree> trees = new ArrayList<>();
    for (int t = 0; t < config.trees(); t++) {
      TreeInputs in = BoostMath.treeInputs(labels, weights, margin, config, t);
      Map<Integer, TreeNode> nodes = new HashMap<>();
      Deque<Map.Entry<Integer, int[]>> queue = new ArrayDeque<>();
      queue.add(Map.entry(0, BoostMath.allRows(n)));
      while (!queue.isEmpty()) {
        var e = queue.poll();
        int id = e.getKey();
        int[] rows = e.getValue();
        Stats total = BoostMath.total(rows, in);
        if (BoostMath.expandable(BoostMath.depth(id), total, config)) {
          double best = Double.NEGATIVE_INFINITY;
          int bestParty = -1;
          SplitRule bestRule = null;
          for (int p = 0; p < parties.size(); p++) {
            BinnedTable table = parties.get(p);
            Stats[] left =
                BoostMath.leftSums(table.binCounts(), BoostMath.histogram(table, rows, in));
            List<SplitRule> rules = BoostMath.candidates(table.binCounts());
            for (int k = 0; k < left.length; k++) {
              double gain = BoostMath.gain(left[k], total, config);
              if (gain > best) {
                best = gain;
                bestParty = p;
                bestRule = rules.get(k);
              }
            }
          }
          if (best > 0) {
            nodes.put(id, new TreeNode.Split(bestParty, bestRule));
            int[][] children =
                BoostMath.partition(rows, BoostMath.route(parties.get(bestParty), rows, bestRule));
            queue.add(Map.entry(BoostedTree.left(id), children[0]));
            queue.add(Map.entry(BoostedTree.right(id), children[1]));
            continue;
          }
        }
        double w = BoostMath.leafWeight(total, config);
        nodes.put(id, new TreeNode.Leaf(w));
        for (int i : rows) {
          margin[i] += w;
        }
      }
      trees.add(new BoostedTree(nodes));
    }
    return new Model(trees);
  }
}
