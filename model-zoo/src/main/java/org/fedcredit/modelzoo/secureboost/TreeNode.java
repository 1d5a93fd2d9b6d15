package org.fedcredit.modelzoo.secureboost;

/** A node of a boosted tree, in the view of whoever holds the tree. */
public sealed interface TreeNode {

  /** A leaf with its (already shrunk) weight added to the margin. */
  record Leaf(double weight) implements TreeNode {}

  /** A split whose rule is known: party 0 is the bank, 1… the feature parties in job order. */
  record Split(int party, SplitRule rule) implements TreeNode {}

  /** The bank's view of a feature party's split: the owner keeps the rule. */
  record HiddenSplit(int party) implements TreeNode {}
}
