package org.fedcredit.modelzoo.serving;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bank's score of one application under a SecureBoost model: {@code margin = base + Σ_t
 * value(leaf reached in tree t)} with {@code base = 0} (training starts every margin at 0) and leaf
 * values already multiplied by the learning rate; and every tree in a form an explainer (TreeSHAP)
 * can walk, with this row's direction at every split node.
 *
 * @param margin log-odds of default
 * @param trees the trees, in order
 */
public record TreeScore(double margin, List<ExplainedTree> trees) implements BankScore {

  public TreeScore {
    trees = List.copyOf(trees);
  }

  /** The margin of a row that reaches no leaf value: 0 (no base score). */
  public double base() {
    return 0;
  }

  /**
   * One tree: its nodes (heap ids: root 0, children of {@code i} are {@code 2i+1} and {@code
   * 2i+2}), the root first.
   */
  public record ExplainedTree(List<ExplainedNode> nodes) {
    public ExplainedTree {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * A node of an {@link ExplainedTree}.
   *
   * @param id heap index
   * @param leaf whether it is a leaf
   * @param left the left child's id, −1 for a leaf
   * @param right the right child's id, −1 for a leaf
   * @param owner the party whose column the split tests (the bank for its own splits); for a leaf,
   *     the bank (which holds the leaf values)
   * @param column the raw column a split tests: always for the bank's splits, for a feature party's
   *     only if it disclosed it; empty for leaves
   * @param cover the number of training rows that reached the node
   * @param value the leaf value (learning rate applied); 0 for splits
   * @param goesLeft for a split, whether this row goes left; empty for leaves
   */
  public record ExplainedNode(
      int id,
      boolean leaf,
      int left,
      int right,
      String owner,
      Optional<String> column,
      long cover,
      double value,
      Optional<Boolean> goesLeft) {
    public ExplainedNode {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(goesLeft, "goesLeft");
    }
  }
}
