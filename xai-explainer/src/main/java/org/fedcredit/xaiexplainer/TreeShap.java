package org.fedcredit.xaiexplainer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Path-dependent TreeSHAP (Lundberg, Erion &amp; Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2; the {@code tree_path_dependent} algorithm of the
 * SHAP library's tree explainer) for an ensemble of binary trees whose margin is {@code base + Σ_t
 * value_t(leaf reached)}.
 *
 * <p>The trees are plain arrays, so the explainer does not depend on how a model is stored. A split
 * node carries an attribution <em>group</em> instead of a feature: a column, or one block for all
 * of a party's columns when that party's policy forbids per-column disclosure; several split nodes
 * may share a group. The sample is given as the child it takes at every split node ({@code hot}),
 * because in a vertical model another party decides its own splits and discloses only directions.
 *
 * <p>Guarantees: φ are the exact Shapley values of the game {@code v(S)} = E[f | groups in S
 * known], where the conditional expectation follows the sample's branch at a split on a group in S
 * and averages both children by cover elsewhere (Algorithm 1 of the paper), including when a group
 * appears several times on a path; {@code E[f] + Σφ = f(x)} up to rounding; a group that no split
 * uses gets exactly 0. Cost O(T·L·D²) for T trees, L leaves, depth D.
 */
public final class TreeShap {

  /**
   * One binary tree; node 0 is the root.
   *
   * @param left left child of each node, −1 for a leaf
   * @param right right child of each node, −1 for a leaf
   * @param group attribution group of each split node (ignored at leaves)
   * @param cover training rows (or weight) reaching each node; a split node's cover must equal the
   *     sum of its children's
   * @param value leaf value of each node (ignored at split nodes)
   */
  public record Tree(int[] left, int[] right, int[] group, double[] cover, double[] value) {
    public Tree {
      left = left.clone();
      right = right.clone();
      group = group.clone();
      cover = cover.clone();
      value = value.clone();
    }

    /** The number of nodes. */
    public int size() {
      return left.length;
    }

    /** Whether node {@code n} is a leaf. */
    public boolean isLeaf(int n) {
      return left[n] < 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tree t
          && Arrays.equals(left, t.left)
          && Arrays.equals(right, t.right)
          && Arrays.equals(group, t.group)
          && Arrays.equals(cover, t.cover)
          && Arrays.equals(value, t.value);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(new Object[] {left, right, group, cover, value});
    }

    @Override
    public String toString() {
      return "Tree[left="
          + Arrays.toString(left)
          + ", right="
          + Arrays.toString(right)
          + ", group="
          + Arrays.toString(group)
          + ", cover="
          + Arrays.toString(cover)
          + ", value="
          + Arrays.toString(value)
          + "]";
    }
  }

  private static final double COVER_TOLERANCE = 1e-9;

  private final List<Tree> trees;
  private final double baseMargin;
  private final int groupCount;
  private final int maxDepth;
  private final double expectedValue;

  /**
   * @param trees the ensemble
   * @param baseMargin the margin before any tree (e.g. the initial log-odds)
   * @param groupCount the number of attribution groups; split groups are 0 … groupCount−1
   * @throws IllegalArgumentException naming the tree and node when a tree is malformed
   */
  public TreeShap(List<Tree> trees, double baseMargin, int groupCount) {
    this.trees = List.copyOf(trees);
    this.baseMargin = baseMargin;
    this.groupCount = groupCount;
    int depth = 0;
    double expected = baseMargin;
    for (int t = 0; t < this.trees.size(); t++) {
      depth = Math.max(depth, validate(t, this.trees.get(t), groupCount));
      expected += expectedValue(this.trees.get(t), 0);
    }
    this.maxDepth = depth;
    this.expectedValue = expected;
  }

  /** E[f]: {@code baseMargin} plus each tree's cover-weighted mean leaf value. */
  public double expectedValue() {
    return expectedValue;
  }

  /** The number of attribution groups. */
  public int groupCount() {
    return groupCount;
  }

  /** The depth of the deepest tree (a single leaf has depth 0). */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * The margin of the sample: {@code baseMargin + Σ_t value of the leaf it reaches}.
   *
   * @param hot per tree, the child the sample takes at each split node
   */
  public double margin(int[][] hot) {
    checkHot(hot);
    double margin = baseMargin;
    for (int t = 0; t < trees.size(); t++) {
      Tree tree = trees.get(t);
      int n = 0;
      while (!tree.isLeaf(n)) {
        n = hot[t][n];
      }
      margin += tree.value()[n];
    }
    return margin;
  }

  /**
   * The SHAP values of one sample.
   *
   * @param hot per tree, for each split node, the child ({@code left[n]} or {@code right[n]}) the
   *     sample goes to; entries at leaves are ignored
   * @throws IllegalArgumentException if {@code hot} does not fit the trees
   */
  public ShapValues explain(int[][] hot) {
    double[] phi = new double[groupCount];
    double output = margin(hot);
    int capacity = maxDepth + 2;
    for (int t = 0; t < trees.size(); t++) {
      Path root = new Path(capacity);
      recurse(trees.get(t), hot[t], 0, root, 0, 1.0, 1.0, -1, phi);
    }
    return new ShapValues(expectedValue, phi, output);
  }

  // The unique path of Algorithm 2: per element the group d, the fraction of zero (z: rows that
  // reach here when the group is unknown) and one (o: 1 if the sample goes this way) paths, and the
  // permutation weight w.
  private static final class Path {
    final int[] d;
    final double[] z;
    final double[] o;
    final double[] w;

    Path(int capacity) {
      d = new int[capacity];
      z = new double[capacity];
      o = new double[capacity];
      w = new double[capacity];
    }

    Path copy(int length) {
      Path p = new Path(d.length);
      System.arraycopy(d, 0, p.d, 0, length);
      System.arraycopy(z, 0, p.z, 0, length);
      System.arraycopy(o, 0, p.o, 0, length);
      System.arraycopy(w, 0, p.w, 0, length);
      return p;
    }
  }

  // depth = index of the element EXTEND appends (the path holds depth elements before it).
  private static void recurse(
      Tree tree,
      int[] hot,
      int node,
      Path parent,
      int depth,
      double zeroFraction,
      double oneFraction,
      int group,
      double[] phi) {
    Path m = parent.copy(depth);
    extend(m, depth, zeroFraction, oneFraction, group);
    if (tree.isLeaf(node)) {
      double v = tree.value()[node];
      for (int i = 1; i <= depth; i++) {
        double w = unwoundSum(m, depth, i);
        phi[m.d[i]] += w * (m.o[i] - m.z[i]) * v;
      }
      return;
    }
    int split = tree.group()[node];
    int h = hot[node];
    int c = h == tree.left()[node] ? tree.right()[node] : tree.left()[node];
    double cover = tree.cover()[node];
    double incomingZero = 1.0;
    double incomingOne = 1.0;
    int k = 1;
    while (k <= depth && m.d[k] != split) {
      k++;
    }
    if (k <= depth) {
      // The group was split on above: undo that split so that its fractions multiply with this one.
      incomingZero = m.z[k];
      incomingOne = m.o[k];
      unwind(m, depth, k);
      depth--;
    }
    recurse(
        tree,
        hot,
        h,
        m,
        depth + 1,
        incomingZero * tree.cover()[h] / cover,
        incomingOne,
        split,
        phi);
    recurse(tree, hot, c, m, depth + 1, incomingZero * tree.cover()[c] / cover, 0.0, split, phi);
  }

  private static void extend(Path m, int l, double pz, double po, int pi) {
    m.d[l] = pi;
    m.z[l] = pz;
    m.o[l] = po;
    m.w[l] = l == 0 ? 1.0 : 0.0;
    for (int i = l - 1; i >= 0; i--) {
      m.w[i + 1] += po * m.w[i] * (i + 1) / (l + 1);
      m.w[i] = pz * m.w[i] * (l - i) / (l + 1);
    }
  }

  private static void unwind(Path m, int l, int index) {
    double one = m.o[index];
    double zero = m.z[index];
    double next = m.w[l];
    for (int i = l - 1; i >= 0; i--) {
      if (one != 0) {
        double tmp = m.w[i];
        m.w[i] = next * (l + 1) / ((i + 1) * one);
        next = tmp - m.w[i] * zero * (l - i) / (l + 1);
      } else {
        m.w[i] = m.w[i] * (l + 1) / (zero * (l - i));
      }
    }
    for (int i = index; i < l; i++) {
      m.d[i] = m.d[i + 1];
      m.z[i] = m.z[i + 1];
      m.o[i] = m.o[i + 1];
    }
  }

  private static double unwoundSum(Path m, int l, int index) {
    double one = m.o[index];
    double zero = m.z[index];
    double next = m.w[l];
    double total = 0;
    if (one != 0) {
      for (int i = l - 1; i >= 0; i--) {
        double tmp = next / ((i + 1) * one);
        total += tmp;
        next = m.w[i] - tmp * zero * (l - i);
      }
    } else {
      for (int i = l - 1; i >= 0; i--) {
        total += m.w[i] / (zero * (l - i));
      }
    }
    return total * (l + 1);
  }

  private static double expectedValue(Tree tree, int node) {
    if (tree.isLeaf(node)) {
      return tree.value()[node];
    }
    int l = tree.left()[node];
    int r = tree.right()[node];
    return (tree.cover()[l] * expectedValue(tree, l) + tree.cover()[r] * expectedValue(tree, r))
        / tree.cover()[node];
  }

  private void checkHot(int[][] hot) {
    if (hot.length != trees.size()) {
      throw new IllegalArgumentException(
          "TreeShap: directions for " + hot.length + " trees, the model has " + trees.size());
    }
    for (int t = 0; t < trees.size(); t++) {
      Tree tree = trees.get(t);
      if (hot[t].length != tree.size()) {
        throw new IllegalArgumentException(
            "TreeShap: tree "
                + t
                + " has "
                + tree.size()
                + " nodes but "
                + hot[t].length
                + " directions; give one entry per node (any value at leaves)");
      }
      for (int n = 0; n < tree.size(); n++) {
        if (!tree.isLeaf(n) && hot[t][n] != tree.left()[n] && hot[t][n] != tree.right()[n]) {
          throw new IllegalArgumentException(
              "TreeShap: tree "
                  + t
                  + " node "
                  + n
                  + ": direction "
                  + hot[t][n]
                  + " is neither child ("
                  + tree.left()[n]
                  + " or "
                  + tree.right()[n]
                  + ")");
        }
      }
    }
  }

  // Checks shape, reachability (a tree, rooted at 0), groups and covers; returns the depth.
  private static int validate(int t, Tree tree, int groupCount) {
    int n = tree.size();
    String where = "TreeShap: tree " + t;
    if (n == 0) {
      throw new IllegalArgumentException(where + " has no node");
    }
    if (tree.right().length != n
        || tree.group().length != n
        || tree.cover().length != n
        || tree.value().length != n) {
      throw new IllegalArgumentException(
          where + ": left, right, group, cover and value must all have one entry per node");
    }
    int[] depth = new int[n];
    boolean[] seen = new boolean[n];
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    todo.add(0);
    seen[0] = true;
    int maxDepth = 0;
    while (!todo.isEmpty()) {
      int j = todo.poll();
      if (!(tree.cover()[j] > 0) || !Double.isFinite(tree.cover()[j])) {
        throw new IllegalArgumentException(
            where + " node " + j + ": cover " + tree.cover()[j] + " must be positive");
      }
      if (tree.isLeaf(j)) {
        if (tree.right()[j] >= 0) {
          throw new IllegalArgumentException(
              where + " node " + j + ": left is −1 but right is " + tree.right()[j]);
        }
        if (!Double.isFinite(tree.value()[j])) {
          throw new IllegalArgumentException(
              where + " leaf " + j + " has value " + tree.value()[j]);
        }
        continue;
      }
      if (tree.group()[j] < 0 || tree.group()[j] >= groupCount) {
        throw new IllegalArgumentException(
            where
                + " node "
                + j
                + ": group "
                + tree.group()[j]
                + " is outside 0.."
                + (groupCount - 1));
      }
      double children = 0;
      for (int c : new int[] {tree.left()[j], tree.right()[j]}) {
        if (c < 0 || c >= n || seen[c]) {
          throw new IllegalArgumentException(
              where
                  + " node "
                  + j
                  + ": child "
                  + c
                  + " is not a fresh node index (trees need each node to have one parent)");
        }
        seen[c] = true;
        depth[c] = depth[j] + 1;
        maxDepth = Math.max(maxDepth, depth[c]);
        children += tree.cover()[c];
        todo.add(c);
      }
      if (Math.abs(children - tree.cover()[j]) > COVER_TOLERANCE * tree.cover()[j]) {
        throw new IllegalArgumentException(
            where
                + " node "
                + j
                + ": cover "
                + tree.cover()[j]
                + " differs from its children's sum "
                + children
                + "; path-dependent TreeSHAP needs cover[parent] = cover[left] + cover[right]");
      }
    }
    for (int j = 0; j < n; j++) {
      if (!seen[j]) {
        throw new IllegalArgumentException(where + " node " + j + " is not reachable from node 0");
      }
    }
    return maxDepth;
  }
}
