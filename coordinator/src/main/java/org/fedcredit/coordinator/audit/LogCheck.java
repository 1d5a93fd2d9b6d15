package org.fedcredit.coordinator.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.TamperedLogException;
import org.fedcredit.coordinator.translog.Verifier;

/**
 * What the coordinator can check of its own audit log, for the compliance page. Three checks, each
 * reported with what exactly was compared:
 *
 * <ol>
 *   <li>{@code signature}: the latest signed checkpoint in the store opens with the log's key;
 *   <li>{@code store-root}: the root the store computes from its subtree hashes ({@code
 *       translog_nodes}, the hashes inclusion proofs are built from) at the checkpoint's size
 *       equals the signed root;
 *   <li>{@code entries}: a full re-verification of the stored entries, exactly as {@code fedcredit
 *       audit verify} does offline ({@link Verifier}): every checkpoint's signature, no split view,
 *       indices without gaps, every entry re-hashed (RFC 6962 leaf hash) and the root of every
 *       checkpoint's prefix recomputed from them. This reads every entry: O(n) per check.
 * </ol>
 *
 * The coordinator checking itself proves little to an outsider — the operator controls both the
 * store and the key. It catches rows changed in the database behind the coordinator's back; an
 * auditor still verifies the export offline with a key obtained out of band.
 *
 * @param size entries in the store (may exceed the latest checkpoint's size by entries not yet
 *     signed)
 * @param latest the latest checkpoint, if one was ever signed
 * @param items the checks, in the order above
 * @param verification the full re-verification's result
 */
public record LogCheck(
    long size, Optional<SignedCheckpoint> latest, List<Item> items, Verifier.Result verification) {

  /** One check: a stable id, whether it passed, and what was compared (or what is wrong). */
  public record Item(String id, boolean ok, String detail) {}

  public LogCheck {
    items = List.copyOf(items);
  }

  /** Whether every check passed. */
  public boolean ok() {
    return items.stream().allMatch(Item::ok);
  }

  /** Entries appended after the latest checkpoint (no signature covers them yet). */
  public long unsigned() {
    return size - latest.map(SignedCheckpoint::size).orElse(0L);
  }

  /** Runs the three checks on {@code log}. */
  public static LogCheck of(AuditLog log) {
    Export export = log.snapshot();
    long size = export.entries().size();
    List<Item> items = new ArrayList<>();
    String key = log.verifier().encode();
    Optional<SignedCheckpoint> latest = Optional.empty();
    if (export.checkpoints().isEmpty() && size == 0) {
      String empty = "the log is empty: nothing to check, no checkpoint signed yet";
      return new LogCheck(
          0,
          latest,
          List.of(
              new Item("signature", true, empty),
              new Item("store-root", true, empty),
              new Item("entries", true, empty)),
          Verifier.verify(export, log.verifier()));
    }
    if (export.checkpoints().isEmpty()) {
      items.add(new Item("signature", false, "the log has no signed checkpoint yet"));
    } else {
      String note = export.checkpoints().get(export.checkpoints().size() - 1);
      try {
        latest = Optional.of(SignedCheckpoint.open(note, log.verifier()));
        items.add(
            new Item(
                "signature",
                true,
                "the latest checkpoint (size "
                    + latest.get().size()
                    + ") opens with the log key "
                    + key));
      } catch (CheckpointException e) {
        items.add(
            new Item(
                "signature",
                false,
                "the latest checkpoint does not open with the log key "
                    + key
                    + ": "
                    + e.getMessage()));
      }
    }
    if (latest.isPresent()) {
      SignedCheckpoint c = latest.get();
      try {
        byte[] computed = log.log().root(c.size());
        boolean same = MessageDigest.isEqual(computed, c.root());
        items.add(
            new Item(
                "store-root",
                same,
                same
                    ? "the store's subtree hashes give the signed root "
                        + MerkleTree.hex(c.root())
                        + " at size "
                        + c.size()
                    : "the store's subtree hashes give "
                        + MerkleTree.hex(computed)
                        + " at size "
                        + c.size()
                        + ", the checkpoint signed "
                        + MerkleTree.hex(c.root())
                        + ": translog_nodes was changed"));
      } catch (TamperedLogException | IllegalArgumentException e) {
        items.add(new Item("store-root", false, e.getMessage()));
      }
    } else {
      items.add(new Item("store-root", false, "no checkpoint to compare the store's root with"));
    }
    Verifier.Result r = Verifier.verify(export, log.verifier());
    items.add(
        new Item(
            "entries",
            r.verified(),
            r.verified()
                ? "all "
                    + r.leaves()
                    + " signed entries re-hashed: they give root "
                    + r.rootHex()
                    + ", and every one of the "
                    + export.checkpoints().size()
                    + " checkpoints verifies against its prefix"
                : r.problem()
                    + r.badIndex().stream()
                        .mapToObj(i -> " (first bad index: " + i + ")")
                        .findFirst()
                        .orElse("")));
    return new LogCheck(size, latest, items, r);
  }
}
