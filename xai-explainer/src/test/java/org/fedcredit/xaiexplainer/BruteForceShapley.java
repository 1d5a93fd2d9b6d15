package org.fedcredit.xaiexplainer;

import java.util.List;
import org.fedcredit.xaiexplainer.TreeShap.Tree;

/**
 * The reference TreeShap is tested against: exact Shapley values by enumerating every coalition,
 * with the path-dependent conditional expectation (Algorithm 1 of Lundberg et al. 2018).
 */
final class BruteForceShapley {

  private BruteForceShapley() {}

  /** E[Σ_t f_t | the groups in {@code coalition} (a bit set) are known]. */
  static double value(List<Tree> trees, int[][] hot, int coalition) {
    double v = 0;
    for (int t = 0; t < trees.size(); t++) {
      v += expectation(trees.get(t), hot[t], 0, coalition);
    }
    return v;
  }

  private static double expectation(Tree tree, int[] hot, int node, int coalition) {
    if (tree.isLeaf(node)) {
      return tree.value()[node];
    }
    if ((coalition >> tree.group()[node] & 1) == 1) {
      return expectation(tree, hot, hot[node], coalition);
    }
    int l = tree.left()[node];
    int r = tree.right()[node];
    return (tree.cover()[l] * expectation(tree, hot, l, coalition)
            + tree.cover()[r] * expectation(tree, hot, r, coalition))
        / tree.cover()[node];
  }

  /** φ_i = Σ_{S ⊆ N∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)). */
  static double[] shapley(List<Tree> trees, int[][] hot, int groups) {
    double[] v = new double[1 << groups];
    for (int s = 0; s < v.length; s++) {
      v[s] = value(trees, hot, s);
    }
    double[] factorial = new double[groups + 1];
    factorial[0] = 1;
    for (int k = 1; k <= groups; k++) {
      factorial[k] = factorial[k - 1] * k;
    }
    double[] phi = new double[groups];
    for (int i = 0; i < groups; i++) {
      for (int s = 0; s < v.length; s++) {
        if ((s >> i & 1) == 0) {
          int size = Integer.bitCount(s);
          double weight = factorial[size] * factorial[groups - size - 1] / factorial[groups];
          phi[i] += weight * (v[s | 1 << i] - v[s]);
        }
      }
    }
    return phi;
  }
}
