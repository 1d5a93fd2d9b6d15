package org.fedcredit.coordinator.translog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds split views: two validly signed checkpoints of the same log and size with different roots.
 * A log that shows one history to one party and another to a second party must sign both; putting
 * the two checkpoints side by side is the proof. (Checkpoints of different sizes are checked
 * against each other with consistency proofs, or by {@link Verifier} against the entries.)
 */
public final class SplitViewDetector {
  private SplitViewDetector() {}

  /** Two checkpoints of one size with different roots. */
  public record SplitView(long size, SignedCheckpoint first, SignedCheckpoint second) {
    public String describe() {
      return "split view: two checkpoints of size "
          + size
          + " signed by "
          + first.origin()
          + " with different roots "
          + MerkleTree.hex(first.root())
          + " and "
          + MerkleTree.hex(second.root());
    }
  }

  /** Every split view among {@code checkpoints} (already signature-checked), one per size. */
  public static List<SplitView> find(Collection<SignedCheckpoint> checkpoints) {
    Map<String, SignedCheckpoint> firstBySize = new HashMap<>();
    List<SplitView> out = new ArrayList<>();
    Map<String, Boolean> reported = new HashMap<>();
    for (SignedCheckpoint c : checkpoints) {
      String key = c.origin() + "\n" + c.size();
      SignedCheckpoint seen = firstBySize.putIfAbsent(key, c);
      if (seen != null
          && !MessageDigest.isEqual(seen.root(), c.root())
          && reported.putIfAbsent(key, true) == null) {
        out.add(new SplitView(c.size(), seen, c));
      }
    }
    return List.copyOf(out);
  }
}
