package org.fedcredit.coordinator.translog;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

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

  /**
   * What verification found. {@code verified} is true exactly when {@code problem} is empty; {@code
   * witnessed} maps each witness whose cosignatures all verified to the largest tree size it
   * cosigned (entries beyond it are vouched for by the log's key alone).
   */
  public record Result(
      boolean verified,
      long leaves,
      String rootHex,
      OptionalLong badIndex,
      String problem,
      List<SplitViewDetector.SplitView> splitViews,
      Map<String, Long> witnessed) {
    public Result {
      witnessed = Collections.unmodifiableMap(new TreeMap<>(witnessed));
    }

    Result(
        boolean verified,
        long leaves,
        String rootHex,
        OptionalLong badIndex,
        String problem,
        List<SplitViewDetector.SplitView> splitViews) {
      this(verified, leaves, rootHex, badIndex, problem, splitViews, Map.of());
    }

    static Result ok(long leaves, byte[] root) {
      return new Result(true, leaves, MerkleTree.hex(root), OptionalLong.empty(), "", List.of());
    }

    /** The witnesses whose cosignature covers every entry (they cosigned the latest size). */
    public List<String> witnessesOfLatest() {
      return witnessed.entrySet().stream()
          .filter(e -> e.getValue() == leaves)
          .map(Map.Entry::getKey)
          .toList();
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
    return verify(export, key, Optional.empty());
  }

  /**
   * As {@link #verify(Export, NoteKeys.Verifier)}; with {@code ca}, every witness's certificate
   * must also have been issued by that CA (the federation's private CA).
   */
  public static Result verify(Export export, NoteKeys.Verifier key, Optional<X509Certificate> ca) {
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
      return witnesses(export, latest, tree, ca);
    }
    return locate(export, checkpoints, tree, n, signedRoot);
  }

  /**
   * Checks every cosignature: signed by its witness's certificate (issued by {@code ca}, if given),
   * on a checkpoint of this log whose root is the root of the first {@code size} verified entries.
   * A cosigned root that differs is the coordinator having shown that witness another history.
   */
  private static Result witnesses(
      Export export, SignedCheckpoint latest, InMemoryTree tree, Optional<X509Certificate> ca) {
    long n = latest.size();
    byte[] root = latest.root();
    Map<String, Long> witnessed = new TreeMap<>();
    for (int i = 0; i < export.cosignatures().size(); i++) {
      Cosignature c = export.cosignatures().get(i);
      SignedCheckpoint cp;
      try {
        if (ca.isPresent()) {
          c.verifyIssuedBy(ca.get());
        } else {
          c.verify();
        }
        cp = c.cosigned();
      } catch (CheckpointException e) {
        return Result.bad(
            n, root, -1, "cosignature " + i + " by witness " + c.witness() + ": " + e.getMessage());
      }
      String problem = null;
      if (!cp.origin().equals(latest.origin())) {
        problem = "is on a checkpoint of another log (origin " + cp.origin() + ")";
      } else if (cp.size() > n) {
        problem =
            "is on size "
                + cp.size()
                + ", beyond the latest exported checkpoint ("
                + n
                + "): the export lacks entries the witness saw";
      } else if (!MessageDigest.isEqual(tree.root(cp.size()), cp.root())) {
        problem =
            "is on size "
                + cp.size()
                + " with root "
                + MerkleTree.hex(cp.root())
                + ", but the log's first "
                + cp.size()
                + " entries give "
                + MerkleTree.hex(tree.root(cp.size()))
                + ": the coordinator showed this witness another history (split view)";
      }
      if (problem != null) {
        return Result.bad(
            n, root, -1, "cosignature " + i + " by witness " + c.witness() + " " + problem);
      }
      witnessed.merge(c.witness(), cp.size(), Math::max);
    }
    return new Result(
        true, n, MerkleTree.hex(root), OptionalLong.empty(), "", List.of(), witnessed);
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
