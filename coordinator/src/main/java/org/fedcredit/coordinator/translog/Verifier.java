package org.fedcredit.coordinator.translog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Offline verification of an {@link Export} against the log's public key, trusting nothing else.
 *
 * <ol>
 *   <li>every checkpoint must be signed by the key, and no two may share a size with different
 *       roots ({@link SplitViewDetector});
 *   <li>the entries must have indices 0, 1, 2, ... up to the latest checkpoint's size: a gap is a
 *       deleted entry, a step back a reordered or duplicated one;
 *   <li>the RFC 6962 root of the entries' data must be the latest checkpoint's root, and the root
 *       of each prefix the root of each earlier checkpoint.
 * </ol>
 *
 * When a root differs, the verifier names the first bad index: if the exported leaf hashes (the
 * tree's own level-0 nodes) hash up to the signed root, they are authenticated, and the first entry
 * whose data does not hash to its leaf hash is the one changed (or moved: then the index it came
 * from is named). Otherwise the earlier checkpoints bound the first bad index to a range.
 */
public final class Verifier {
  private Verifier() {}

  /** What verification found. {@code verified} is true exactly when {@code problem} is empty. */
  public record Result(
      boolean verified,
      long leaves,
      String rootHex,
      OptionalLong badIndex,
      String problem,
      List<SplitViewDetector.SplitView> splitViews) {
    static Result ok(long leaves, byte[] root) {
      return new Result(true, leaves, MerkleTree.hex(root), OptionalLong.empty(), "", List.of());
    }

    static Result bad(long leaves, byte[] root, long index, String problem) {
      return new Result(
          false,
          leaves,
          root == null ? "" : MerkleTree.hex(root),
          index < 0 ? OptionalLong.empty() : OptionalLong.of(index),
          problem,
          List.of());
    }
  }

  public static Result verify(Export export, NoteKeys.Verifier key) {
    List<SignedCheckpoint> checkpoints = new ArrayList<>();
    for (int i = 0; i < export.checkpoints().size(); i++) {
      try {
        checkpoints.add(SignedCheckpoint.open(export.checkpoints().get(i), key));
      } catch (CheckpointException e) {
        return Result.bad(0, null, -1, "checkpoint " + i + ": " + e.getMessage());
      }
    }
    if (checkpoints.isEmpty()) {
      return Result.bad(
          0, null, -1, "the export has no signed checkpoint; nothing vouches for its entries");
    }
    List<SplitViewDetector.SplitView> splits = SplitViewDetector.find(checkpoints);
    if (!splits.isEmpty()) {
      SplitViewDetector.SplitView s = splits.get(0);
      return new Result(
          false, s.size(), "", OptionalLong.empty(), s.describe(), List.copyOf(splits));
    }
    SignedCheckpoint latest =
        checkpoints.stream().max(Comparator.comparingLong(SignedCheckpoint::size)).orElseThrow();
    long n = latest.size();
    byte[] signedRoot = latest.root();

    List<Export.Entry> entries = export.entries();
    for (int i = 0; i < entries.size() && i < n; i++) {
      long index = entries.get(i).index();
      if (index > i) {
        return Result.bad(
            n,
            signedRoot,
            i,
            "entry "
                + i
                + " is missing: the export jumps from index "
                + (i - 1)
                + " to "
                + index
                + " (deleted)");
      }
      if (index < i) {
        return Result.bad(
            n,
            signedRoot,
            i,
            "the entry at position "
                + i
                + " has index "
                + index
                + "; indices must go up by one (reordered or duplicated)");
      }
    }
    if (entries.size() < n) {
      return Result.bad(
          n,
          signedRoot,
          entries.size(),
          "entry "
              + entries.size()
              + " is missing: the checkpoint of size "
              + n
              + " covers more entries than the export's "
              + entries.size()
              + " (deleted from the end)");
    }

    InMemoryTree tree = new InMemoryTree();
    for (int i = 0; i < n; i++) {
      tree.append(entries.get(i).data());
    }
    if (MessageDigest.isEqual(tree.root(), signedRoot)) {
      for (SignedCheckpoint c : checkpoints) {
        if (!MessageDigest.isEqual(tree.root(c.size()), c.root())) {
          return Result.bad(
              n,
              signedRoot,
              -1,
              "the checkpoint of size "
                  + c.size()
                  + " has root "
                  + MerkleTree.hex(c.root())
                  + " but the first "
                  + c.size()
                  + " entries of the latest checkpoint's tree give "
                  + MerkleTree.hex(tree.root(c.size()))
                  + ": the log forked after that checkpoint was signed");
        }
      }
      return Result.ok(n, signedRoot);
    }
    return locate(export, checkpoints, tree, n, signedRoot);
  }

  private static Result locate(
      Export export, List<SignedCheckpoint> checkpoints, InMemoryTree data, long n, byte[] root) {
    List<byte[]> recorded = export.leafHashes();
    if (recorded.size() >= n) {
      InMemoryTree stored = new InMemoryTree();
      for (int i = 0; i < n; i++) {
        stored.appendLeafHash(recorded.get(i));
      }
      if (MessageDigest.isEqual(stored.root(), root)) {
        Map<String, Long> indexOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
          indexOf.putIfAbsent(MerkleTree.hex(recorded.get(i)), (long) i);
        }
        for (int i = 0; i < n; i++) {
          byte[] actual = data.leafHash(i);
          if (!MessageDigest.isEqual(actual, recorded.get(i))) {
            Long from = indexOf.get(MerkleTree.hex(actual));
            String why =
                from != null
                    ? "entry " + i + " holds the data signed as entry " + from + " (reordered)"
                    : "entry "
                        + i
                        + " was modified: its data hashes to "
                        + MerkleTree.hex(actual)
                        + ", the signed tree has "
                        + MerkleTree.hex(recorded.get(i));
            return Result.bad(n, root, i, why);
          }
        }
      }
    }
    // The leaf hashes were changed too: bound the fault with the earlier checkpoints.
    long good = 0;
    long bad = n;
    for (SignedCheckpoint c : checkpoints) {
      boolean matches = MessageDigest.isEqual(data.root(c.size()), c.root());
      if (matches && c.size() > good) {
        good = c.size();
      } else if (!matches && c.size() < bad) {
        bad = c.size();
      }
    }
    return Result.bad(
        n,
        root,
        good,
        "the entries do not hash to the signed root "
            + MerkleTree.hex(root)
            + " (they give "
            + MerkleTree.hex(data.root())
            + ") and the stored leaf hashes were rewritten as well; the first changed entry is"
            + " between index "
            + good
            + " and "
            + (bad - 1)
            + " (the last checkpoint that still verifies is of size "
            + good
            + ")");
  }
}
