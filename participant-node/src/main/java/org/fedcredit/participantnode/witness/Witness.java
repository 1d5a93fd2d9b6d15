package org.fedcredit.participantnode.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.InvalidProofException;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant node's witness of the coordinator's audit log (issue 7): before every step it
 * checks the checkpoint the coordinator shows it, and cosigns it only if the log's history as this
 * node has seen it still holds.
 *
 * <p>For each checkpoint ({@link #witness}):
 *
 * <ol>
 *   <li>it must be signed by the log's key: {@code coordinator_log_key} if configured, otherwise
 *       the key pinned on first use in {@code <dir>/log-key.pub} (a coordinator that later
 *       announces another key is refused);
 *   <li>it must be consistent with the latest checkpoint this node accepted (kept in {@code
 *       <dir>/checkpoint}, so restarts do not forget): the same root at the same size, otherwise an
 *       RFC 6962 consistency proof, fetched from the coordinator, must verify between the two;
 *   <li>every cosignature of another party the coordinator relays must verify (its certificate
 *       issued by the federation's CA and naming that party) and be on a checkpoint consistent with
 *       this one — the same root at the same size, otherwise a verified consistency proof. A
 *       coordinator that showed that party another history is caught here (split view);
 *   <li>the larger of the stored and the shown checkpoint is stored (atomically), and the shown one
 *       is cosigned with the node's TLS key ({@link Cosignature}).
 * </ol>
 *
 * Methods are synchronized: steps of concurrent jobs are witnessed one at a time.
 */
public final class Witness {
  private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

  /** Consistency proofs between two sizes of the log (the coordinator's GetConsistencyProof). */
  public interface Proofs {
    List<byte[]> consistency(long oldSize, long newSize) throws WitnessException;
  }

  /**
   * How this node cosigns: its party id, its certificate from the federation's CA and that
   * certificate's private key.
   */
  public record Cosigner(String party, X509Certificate certificate, PrivateKey key) {
    public Cosigner {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  /** The pinned log key (trust on first use), in {@code dir}. */
  public static final String PINNED_KEY_FILE = "log-key.pub";

  /** The latest accepted checkpoint's signed note, in {@code dir}. */
  public static final String CHECKPOINT_FILE = "checkpoint";

  private final Path dir;
  private final Optional<NoteKeys.Verifier> configuredKey;
  private final Optional<Cosigner> cosigner;
  private final Optional<X509Certificate> ca;
  private final Clock clock;
  private Optional<NoteKeys.Verifier> pinned;
  private Optional<SignedCheckpoint> latest;

  private Witness(
      Path dir,
      Optional<NoteKeys.Verifier> configuredKey,
      Optional<Cosigner> cosigner,
      Optional<X509Certificate> ca,
      Clock clock) {
    this.dir = dir;
    this.configuredKey = configuredKey;
    this.cosigner = cosigner;
    this.ca = ca;
    this.clock = clock;
  }

  /**
   * The witness whose state is in {@code dir} (created if missing).
   *
   * @param configuredKey the log's verifier key from the node's configuration, if given
   * @param cosigner the node's TLS identity; without it (development mode) nothing is cosigned
   * @param ca the federation's CA, which must have issued every other witness's certificate;
   *     without it (development mode) a certificate is only checked to name its party
   * @throws WitnessStateException if the stored state cannot be read or does not verify with the
   *     configured or pinned key
   */
  public static Witness open(
      Path dir,
      Optional<NoteKeys.Verifier> configuredKey,
      Optional<Cosigner> cosigner,
      Optional<X509Certificate> ca,
      Clock clock) {
    Witness w = new Witness(dir, configuredKey, cosigner, ca, clock);
    w.load();
    return w;
  }

  private void load() {
    try {
      Files.createDirectories(dir);
      Path pin = dir.resolve(PINNED_KEY_FILE);
      pinned =
          Files.exists(pin)
              ? Optional.of(NoteKeys.parseVerifier(Files.readString(pin)))
              : Optional.empty();
      Path cp = dir.resolve(CHECKPOINT_FILE);
      if (Files.exists(cp)) {
        NoteKeys.Verifier key =
            configuredKey
                .or(() -> pinned)
                .orElseThrow(
                    () ->
                        new WitnessStateException(
                            cp
                                + " holds a checkpoint but no log key is configured or pinned in "
                                + pin
                                + "; set coordinator_log_key in the node configuration"));
        try {
          latest = Optional.of(SignedCheckpoint.open(Files.readString(cp), key));
        } catch (CheckpointException e) {
          throw new WitnessStateException(
              cp
                  + " does not verify with the log key "
                  + key.encode()
                  + " ("
                  + e.getMessage()
                  + "); if the coordinator's log really changed key, check the new key out of band,"
                  + " then remove "
                  + dir
                  + " to start witnessing afresh");
        }
      } else {
        latest = Optional.empty();
      }
    } catch (IOException e) {
      throw new WitnessStateException("cannot read the witness state in " + dir + ": " + e);
    } catch (CheckpointException e) {
      throw new WitnessStateException(
          dir.resolve(PINNED_KEY_FILE) + " is not a log verifier key: " + e.getMessage());
    }
  }

  /** The latest checkpoint this node accepted, if any. */
  public synchronized Optional<SignedCheckpoint> latest() {
    return latest;
  }

  /**
   * Checks {@code note} (see the class comment), stores it if it is newer than the stored one and
   * returns this node's cosignature on it (empty without a {@link Cosigner}).
   *
   * @param note the signed checkpoint the coordinator shows before a step
   * @param announcedKey the log key the coordinator announces (may be empty); used only to pin a
   *     key on first use, and to say what changed when it is not the pinned one
   * @param others the other parties' cosignatures the coordinator relays
   * @throws WitnessException saying which check failed, with sizes and roots
   */
  public synchronized Optional<Cosignature> witness(
      String note, String announcedKey, List<Cosignature> others, Proofs proofs)
      throws WitnessException {
    if (note.isEmpty()) {
      throw new WitnessException(
          "the coordinator sent no signed checkpoint of its audit log with the step; this node"
              + " witnesses the log before every step (docs/protocols/transparency-log.md,"
              + " Witnesses) — is the coordinator older than the node?");
    }
    NoteKeys.Verifier key = key(announcedKey);
    SignedCheckpoint shown;
    try {
      shown = SignedCheckpoint.open(note, key);
    } catch (CheckpointException e) {
      throw new WitnessException(
          "the checkpoint the coordinator sent does not verify with the log key "
              + key.encode()
              + ": "
              + e.getMessage());
    }
    if (latest.isPresent()) {
      SignedCheckpoint seen = latest.get();
      consistent(
          seen,
          shown,
          proofs,
          "the log this node saw before (size "
              + seen.size()
              + ", root "
              + MerkleTree.hex(seen.root())
              + ")",
          "the checkpoint shown now (size "
              + shown.size()
              + ", root "
              + MerkleTree.hex(shown.root())
              + ")",
          "split view or rewritten history: the coordinator's log is not the one this node"
              + " witnessed before");
    }
    for (Cosignature c : others) {
      SignedCheckpoint theirs;
      try {
        if (ca.isPresent()) {
          c.verifyIssuedBy(ca.get());
        } else {
          c.verify();
        }
        theirs = c.cosigned();
      } catch (CheckpointException e) {
        throw new WitnessException(
            "the coordinator relayed a cosignature by "
                + c.witness()
                + " that is not valid: "
                + e.getMessage());
      }
      if (!theirs.origin().equals(shown.origin())) {
        throw new WitnessException(
            c.witness()
                + " cosigned a checkpoint of log '"
                + theirs.origin()
                + "', but this node is shown log '"
                + shown.origin()
                + "': split view — the coordinator shows the parties different logs");
      }
      consistent(
          theirs,
          shown,
          proofs,
          c.witness()
              + "'s view (size "
              + theirs.size()
              + ", root "
              + MerkleTree.hex(theirs.root())
              + ")",
          "this node's view (size " + shown.size() + ", root " + MerkleTree.hex(shown.root()) + ")",
          "split view: the coordinator showed " + c.witness() + " a different history of the log");
    }
    if (latest.isEmpty() || shown.size() > latest.get().size()) {
      store(shown);
    }
    return cosigner.map(
        s ->
            Cosignature.sign(
                s.party(), s.certificate(), s.key(), shown, clock.instant().getEpochSecond()));
  }

  /** The key to verify with: configured, pinned, or (first use) the announced one, pinned now. */
  private NoteKeys.Verifier key(String announcedKey) throws WitnessException {
    if (configuredKey.isPresent()) {
      return configuredKey.get();
    }
    Optional<NoteKeys.Verifier> announced = Optional.empty();
    if (!announcedKey.isBlank()) {
      try {
        announced = Optional.of(NoteKeys.parseVerifier(announcedKey));
      } catch (CheckpointException e) {
        throw new WitnessException(
            "the log key the coordinator announces is not a verifier key: " + e.getMessage());
      }
    }
    if (pinned.isPresent()) {
      if (announced.isPresent() && !announced.get().encode().equals(pinned.get().encode())) {
        throw new WitnessException(
            "the coordinator now announces the log key "
                + announced.get().encode()
                + " but this node pinned "
                + pinned.get().encode()
                + " on first use ("
                + dir.resolve(PINNED_KEY_FILE)
                + "): a log whose key changes can no longer prove its history — rewritten history"
                + " or another coordinator. If the operator really replaced the key, check the new"
                + " one out of band and set coordinator_log_key, or remove "
                + dir
                + " to witness afresh");
      }
      return pinned.get();
    }
    if (announced.isEmpty()) {
      throw new WitnessException(
          "no log key is configured (coordinator_log_key) or pinned, and the coordinator announces"
              + " none; this node cannot check the checkpoint");
    }
    writeAtomically(dir.resolve(PINNED_KEY_FILE), announced.get().encode() + "\n");
    pinned = announced;
    LOG.warn(
        "trust on first use: pinned the coordinator's log key {} in {}; set coordinator_log_key to"
            + " the key obtained out of band to check it instead",
        announced.get().encode(),
        dir.resolve(PINNED_KEY_FILE));
    return announced.get();
  }

  /** Checks that checkpoints {@code a} and {@code b} of one log describe one history. */
  private static void consistent(
      SignedCheckpoint a,
      SignedCheckpoint b,
      Proofs proofs,
      String aText,
      String bText,
      String meaning)
      throws WitnessException {
    if (a.size() == b.size()) {
      if (!MessageDigest.isEqual(a.root(), b.root())) {
        throw new WitnessException(
            aText + " and " + bText + " have the same size but different roots: " + meaning);
      }
      return;
    }
    SignedCheckpoint older = a.size() < b.size() ? a : b;
    SignedCheckpoint newer = older == a ? b : a;
    List<byte[]> proof;
    try {
      proof = proofs.consistency(older.size(), newer.size());
    } catch (WitnessException e) {
      throw new WitnessException(
          aText
              + " and "
              + bText
              + " cannot be shown to be one log: "
              + e.getMessage()
              + ": "
              + meaning);
    }
    try {
      MerkleTree.verifyConsistency(older.size(), newer.size(), older.root(), newer.root(), proof);
    } catch (InvalidProofException e) {
      throw new WitnessException(
          aText
              + " and "
              + bText
              + " are not one log: the consistency proof from size "
              + older.size()
              + " to "
              + newer.size()
              + " does not verify ("
              + e.getMessage()
              + "): "
              + meaning);
    }
  }

  private void store(SignedCheckpoint cp) {
    writeAtomically(dir.resolve(CHECKPOINT_FILE), cp.note());
    latest = Optional.of(cp);
  }

  private static void writeAtomically(Path file, String text) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the witness state " + file + ": " + e, e);
    }
  }

  /** The stored witness state cannot be used; the node does not start. */
  public static final class WitnessStateException extends RuntimeException {
    public WitnessStateException(String message) {
      super(message);
    }
  }
}
