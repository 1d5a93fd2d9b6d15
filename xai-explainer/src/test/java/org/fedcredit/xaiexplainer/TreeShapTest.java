package org.fedcredit.xaiexplainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fedcredit.xaiexplainer.TreeShap.Tree;
import org.junit.jupiter.api.Test;

class TreeShapTest {

  @Test
  void aStumpMovesTheMarginFromTheCoverWeightedMeanToItsLeaf() {
    Tree stump =
        new Tree(
            new int[] {1, -1, -1},
            new int[] {2, -1, -1},
            new int[] {0, 0, 0},
            new double[] {10, 4, 6},
            new double[] {0, 1, 3});
    TreeShap shap = new TreeShap(List.of(stump), 0.25, 2);
    ShapValues s = shap.explain(new int[][] {{1, -1, -1}});
    assertThat(s.baseValue()).isCloseTo(0.25 + 2.2, within(1e-15));
    assertThat(s.output()).isEqualTo(1.25);
    assertThat(s.contribution(0)).isCloseTo(-1.2, within(1e-12));
    assertThat(s.contribution(1)).isZero();
  }

  @Test
  void aSingleLeafTreeOnlyShiftsTheBaseValue() {
    Tree leaf =
        new Tree(
            new int[] {-1}, new int[] {-1}, new int[] {0}, new double[] {7}, new double[] {0.4});
    ShapValues s = new TreeShap(List.of(leaf), -1, 3).explain(new int[][] {{-1}});
    assertThat(s.baseValue()).isCloseTo(-0.6, within(1e-15));
    assertThat(s.output()).isCloseTo(-0.6, within(1e-15));
    assertThat(s.contributions()).containsExactly(0, 0, 0);
  }

  @Test
  void aGroupSplitTwiceOnAPathIsCountedOnce() {
    // root splits on group 0, its left child again on group 0, its right child on group 1.
    Tree tree =
        new Tree(
            new int[] {1, 3, 5, -1, -1, -1, -1},
            new int[] {2, 4, 6, -1, -1, -1, -1},
            new int[] {0, 0, 1, 0, 0, 0, 0},
            new double[] {20, 8, 12, 3, 5, 2, 10},
            new double[] {0, 0, 0, -1, 2, 4, 0.5});
    int[][] hot = {{1, 3, 6, -1, -1, -1, -1}};
    TreeShap shap = new TreeShap(List.of(tree), 0, 2);
    ShapValues s = shap.explain(hot);
    double[] exact = BruteForceShapley.shapley(List.of(tree), hot, 2);
    assertThat(s.contributions()[0]).isCloseTo(exact[0], within(1e-12));
    assertThat(s.contributions()[1]).isCloseTo(exact[1], within(1e-12));
    assertThat(s.output()).isEqualTo(-1);
    assertThat(s.additivityError()).isLessThan(1e-12);
  }

  @Property(tries = 300)
  void equalsBruteForceShapleyAndIsAdditive(@ForAll long seed) {
    Random r = new Random(seed);
    int groups = 1 + r.nextInt(6);
    int used = 1 + r.nextInt(groups); // groups ≥ used: the rest never appear in a split
    List<Tree> trees = new ArrayList<>();
    int[][] hot = new int[1 + r.nextInt(3)][];
    for (int t = 0; t < hot.length; t++) {
      trees.add(randomTree(r, 1 + r.nextInt(4), used));
      hot[t] = randomDirections(r, trees.get(t));
    }
    double base = r.nextGaussian();
    TreeShap shap = new TreeShap(trees, base, groups);
    ShapValues s = shap.explain(hot);

    double[] exact = BruteForceShapley.shapley(trees, hot, groups);
    for (int g = 0; g < groups; g++) {
      assertThat(s.contribution(g)).as("group %d", g).isCloseTo(exact[g], within(1e-9));
    }
    for (int g = used; g < groups; g++) {
      assertThat(s.contribution(g)).isZero();
    }
    assertThat(s.baseValue())
        .isCloseTo(base + BruteForceShapley.value(trees, hot, 0), within(1e-9));
    assertThat(s.output())
        .isCloseTo(base + BruteForceShapley.value(trees, hot, (1 << groups) - 1), within(1e-9));
    assertThat(s.additivityError()).isLessThan(1e-9);
  }

  @Property(tries = 200)
  void aPartyBlockIsOnePlayerOfTheGroupedGame(@ForAll long seed) {
    Random r = new Random(seed);
    // Columns 0..2 belong to the bank, 3..5 to a provider that forbids per-column disclosure:
    // its columns become the single group 3.
    int[] blockOf = {0, 1, 2, 3, 3, 3};
    List<Tree> byColumn = new ArrayList<>();
    List<Tree> byBlock = new ArrayList<>();
    int[][] hot = new int[2][];
    for (int t = 0; t < 2; t++) {
      Tree tree = randomTree(r, 2 + r.nextInt(3), 6);
      byColumn.add(tree);
      int[] grouped = tree.group().clone();
      for (int n = 0; n < grouped.length; n++) {
        grouped[n] = blockOf[grouped[n]];
      }
      byBlock.add(new Tree(tree.left(), tree.right(), grouped, tree.cover(), tree.value()));
      hot[t] = randomDirections(r, tree);
    }
    ShapValues columns = new TreeShap(byColumn, 0, 6).explain(hot);
    ShapValues blocks = new TreeShap(byBlock, 0, 4).explain(hot);

    assertThat(blocks.additivityError()).isLessThan(1e-9);
    assertThat(blocks.output()).isEqualTo(columns.output());
    assertThat(blocks.baseValue()).isEqualTo(columns.baseValue());
    double[] exact = BruteForceShapley.shapley(byBlock, hot, 4);
    for (int g = 0; g < 4; g++) {
      assertThat(blocks.contribution(g)).isCloseTo(exact[g], within(1e-9));
    }
  }

  @Test
  void rejectsMalformedTreesAndDirections() {
    Tree badCover =
        new Tree(
            new int[] {1, -1, -1},
            new int[] {2, -1, -1},
            new int[] {0, 0, 0},
            new double[] {10, 4, 5},
            new double[] {0, 1, 3});
    assertThatThrownBy(() -> new TreeShap(List.of(badCover), 0, 1))
        .hasMessageContaining("tree 0 node 0")
        .hasMessageContaining("cover[parent] = cover[left] + cover[right]");
    Tree badGroup =
        new Tree(
            new int[] {1, -1, -1},
            new int[] {2, -1, -1},
            new int[] {3, 0, 0},
            new double[] {10, 4, 6},
            new double[] {0, 1, 3});
    assertThatThrownBy(() -> new TreeShap(List.of(badGroup), 0, 2))
        .hasMessageContaining("group 3 is outside 0..1");
    Tree cycle =
        new Tree(
            new int[] {1, 0, -1},
            new int[] {2, -1, -1},
            new int[] {0, 0, 0},
            new double[] {10, 4, 6},
            new double[] {0, 1, 3});
    assertThatThrownBy(() -> new TreeShap(List.of(cycle), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    Tree ok =
        new Tree(
            new int[] {1, -1, -1},
            new int[] {2, -1, -1},
            new int[] {0, 0, 0},
            new double[] {10, 4, 6},
            new double[] {0, 1, 3});
    TreeShap shap = new TreeShap(List.of(ok), 0, 1);
    assertThatThrownBy(() -> shap.explain(new int[][] {{0, -1, -1}}))
        .hasMessageContaining("neither child");
    assertThatThrownBy(() -> shap.explain(new int[][] {{1, -1}}))
        .hasMessageContaining("one entry per node");
  }

  /** A random binary tree of depth ≤ maxDepth, groups drawn from 0..groups−1 (repeats likely). */
  static Tree randomTree(Random r, int maxDepth, int groups) {
    List<int[]> children = new ArrayList<>();
    List<Integer> group = new ArrayList<>();
    List<Integer> depth = new ArrayList<>();
    children.add(new int[] {-1, -1});
    group.add(0);
    depth.add(0);
    for (int n = 0; n < children.size(); n++) {
      boolean split = depth.get(n) < maxDepth && (n == 0 || r.nextDouble() < 0.7);
      if (split) {
        group.set(n, r.nextInt(groups));
        for (int side = 0; side < 2; side++) {
          children.get(n)[side] = children.size();
          children.add(new int[] {-1, -1});
          group.add(0);
          depth.add(depth.get(n) + 1);
        }
      }
    }
    int size = children.size();
    int[] left = new int[size];
    int[] right = new int[size];
    int[] g = new int[size];
    double[] value = new double[size];
    for (int n = 0; n < size; n++) {
      left[n] = children.get(n)[0];
      right[n] = children.get(n)[1];
      g[n] = group.get(n);
      value[n] = left[n] < 0 ? r.nextGaussian() : 0;
    }
    double[] cover = new double[size];
    for (int n = size - 1; n >= 0; n--) {
      cover[n] = left[n] < 0 ? 1 + r.nextInt(50) : cover[left[n]] + cover[right[n]];
    }
    return new Tree(left, right, g, cover, value);
  }

  static int[] randomDirections(Random r, Tree tree) {
    int[] hot = new int[tree.size()];
    for (int n = 0; n < tree.size(); n++) {
      hot[n] = tree.isLeaf(n) ? -1 : r.nextBoolean() ? tree.left()[n] : tree.right()[n];
    }
    return hot;
  }
}
