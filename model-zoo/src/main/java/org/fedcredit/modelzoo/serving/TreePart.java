package org.fedcredit.modelzoo.serving;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A feature party's part of a SecureBoost decision for one row: for every split node it owns, the
 * direction the row takes (missing values follow the learned default direction, as in training),
 * and optionally the raw column each split tests.
 *
 * @param party the feature party
 * @param goesLeft per split id ({@link #splitId(int, int)}), whether the row goes left
 * @param splitColumns per split id, the raw column tested; empty unless the party's policy allows
 *     per-column disclosure
 */
public record TreePart(
    String party, Map<String, Boolean> goesLeft, Map<String, String> splitColumns)
    implements FeaturePart {

  public TreePart {
    Objects.requireNonNull(party, "party");
    goesLeft = java.util.Collections.unmodifiableMap(new TreeMap<>(goesLeft));
    splitColumns = java.util.Collections.unmodifiableMap(new TreeMap<>(splitColumns));
  }

  /** The id of split node {@code node} (heap index) of tree {@code tree}: {@code "tree/node"}. */
  public static String splitId(int tree, int node) {
    return tree + "/" + node;
  }

  /**
   * The direction of the row at a node this party owns.
   *
   * @throws ScoringException if the part has no direction for it
   */
  public boolean goesLeft(int tree, int node) {
    Boolean b = goesLeft.get(splitId(tree, node));
    if (b == null) {
      throw new ScoringException(
          party
              + " sent no direction for tree "
              + tree
              + " node "
              + node
              + "; does it serve the same model version?");
    }
    return b;
  }

  /** The raw column of a split, if the party disclosed it. */
  public Optional<String> splitColumn(int tree, int node) {
    return Optional.ofNullable(splitColumns.get(splitId(tree, node)));
  }

  /** The same part without split columns (party-level disclosure only). */
  public TreePart withoutColumns() {
    return new TreePart(party, goesLeft, Map.of());
  }
}
