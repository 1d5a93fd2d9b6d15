package org.fedcredit.modelzoo.secureboost;

import java.util.Map;
import java.util.TreeMap;

/**
 * One tree: its nodes by heap index (root 0, children of {@code i} are {@code 2i+1} left and {@code
 * 2i+2} right).
 */
public record BoostedTree(Map<Integer, TreeNode> nodes) {

  public BoostedTree {
    nodes = java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
  }

  public static int left(int node) {
    return 2 * node + 1;
  }

  public static int right(int node) {
    return 2 * node + 2;
  }
}
