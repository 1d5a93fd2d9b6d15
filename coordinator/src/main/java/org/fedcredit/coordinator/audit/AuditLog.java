package org.fedcredit.coordinator.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.Cosignatures;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.TransparencyLog;

/**
 * The coordinator's audit log: {@link AuditEntry entries} appended to the {@link TransparencyLog}
 * in its store and checkpoints signed with the log's key. Appends, checkpoints and exports are
 * serialised here, so an export's last checkpoint covers exactly the entries it holds.
 */
public final class AuditLog {

  /** An entry with its index in the log. */
  public record Indexed(long index, AuditEntry entry) {}

  private final CoordinatorStore store;
  private final TransparencyLog log;
  private final NoteKeys.Signer signer;
  private final Cosignatures cosignatures;
  private SignedCheckpoint latest;

  private AuditLog(CoordinatorStore store, NoteKeys.Signer signer) {
    this.store = store;
    this.log = TransparencyLog.in(store);
    this.signer = signer;
    this.cosignatures = Cosignatures.in(store);
    List<String> notes = log.checkpointNotes();
    if (!notes.isEmpty()) {
      try {
        latest = SignedCheckpoint.open(notes.get(notes.size() - 1), signer.verifier());
      } catch (CheckpointException e) {
        throw new AuditException(
            "the latest checkpoint in the store does not open with the log key "
                + signer.verifier().encode()
                + " ("
                + e.getMessage()
                + "); was the key file replaced?");
      }
    }
  }

  /** The audit log in {@code store}, signed with {@code signer}. */
  public static AuditLog open(CoordinatorStore store, NoteKeys.Signer signer) {
    return new AuditLog(store, signer);
  }

  /** Appends {@code entry}; returns its index. */
  public long append(AuditEntry entry) {
    return appendAll(List.of(entry));
  }

  /**
   * Appends {@code entries} in one transaction, indexing those of a job in {@code audit_index} in
   * the same transaction; returns the index of the first.
   */
  public synchronized long appendAll(List<AuditEntry> entries) {
    List<byte[]> data = new ArrayList<>(entries.size());
    for (AuditEntry e : entries) {
      data.add(e.canonical());
    }
    return log.appendAll(
        data,
        (c, first) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit_index (job_id, entry_type, idx) VALUES (?, ?, ?)")) {
            boolean any = false;
            for (int i = 0; i < entries.size(); i++) {
              AuditEntry e = entries.get(i);
              if (e.job().isPresent()) {
                ps.setString(1, e.job().get());
                ps.setString(2, e.type());
                ps.setLong(3, first + i);
                ps.addBatch();
                any = true;
              }
            }
            if (any) {
              ps.executeBatch();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit_decisions (decision_sha256, idx) VALUES (?, ?)")) {
            boolean any = false;
            for (int i = 0; i < entries.size(); i++) {
              AuditEntry e = entries.get(i);
              if (e.type().equals(DECISION_SERVED)) {
                ps.setString(1, e.text("decision_sha256"));
                ps.setLong(2, first + i);
                ps.addBatch();
                any = true;
              }
            }
            if (any) {
              ps.executeBatch();
            }
          }
        });
  }

  /** The type of the entries {@link #decisionIndices} knows by their decision hash. */
  public static final String DECISION_SERVED = "decision-served";

  /**
   * The log index of each {@code decision-served} entry whose {@code decision_sha256} is among
   * {@code hashes} (absent hashes have no entry).
   */
  public java.util.Map<String, Long> decisionIndices(java.util.Collection<String> hashes) {
    if (hashes.isEmpty()) {
      return java.util.Map.of();
    }
    return store.reading(
        "look up " + hashes.size() + " decisions in the audit log",
        c -> {
          java.util.Map<String, Long> out = new java.util.HashMap<>();
          String marks = String.join(", ", java.util.Collections.nCopies(hashes.size(), "?"));
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT decision_sha256, idx FROM audit_decisions WHERE decision_sha256 IN ("
                      + marks
                      + ")")) {
            int k = 1;
            for (String h : hashes) {
              ps.setString(k++, h);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
              }
            }
          }
          return out;
        });
  }

  /** The indices of job {@code jobId}'s entries, optionally of one type, in order. */
  public List<Long> indicesOfJob(String jobId, java.util.Optional<String> type) {
    return store.reading(
        "read the audit index of job " + jobId,
        c -> {
          List<Long> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT idx FROM audit_index WHERE job_id = ?"
                      + (type.isPresent() ? " AND entry_type = ?" : "")
                      + " ORDER BY idx")) {
            ps.setString(1, jobId);
            if (type.isPresent()) {
              ps.setString(2, type.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
          }
          return out;
        });
  }

  /** The number of entries. */
  public long size() {
    return log.size();
  }

  /**
   * Signs a checkpoint of the log as it is now, unless the latest checkpoint already covers every
   * entry; returns the checkpoint of the current size.
   */
  public synchronized SignedCheckpoint checkpoint() {
    long size = log.size();
    if (latest == null || latest.size() != size) {
      latest = log.checkpoint(signer);
    }
    return latest;
  }

  /** The public key that verifies this log's checkpoints. */
  public NoteKeys.Verifier verifier() {
    return signer.verifier();
  }

  /** The witnesses' cosignatures on this log's checkpoints. */
  public Cosignatures cosignatures() {
    return cosignatures;
  }

  /** The underlying Merkle log (proofs, roots, raw entries). */
  public TransparencyLog log() {
    return log;
  }

  /** Entry {@code index}, parsed. */
  public AuditEntry entry(long index) {
    return AuditEntry.parse(log.entry(index));
  }

  /** Calls {@code sink} with every entry in {@code [from, to)} in order, parsed. */
  public void forEach(long from, long to, BiConsumer<Long, AuditEntry> sink) {
    log.forEachEntry(from, to, (i, data) -> sink.accept(i, AuditEntry.parse(data)));
  }

  /** The entries of job {@code jobId}, in order (through {@code audit_index}). */
  public List<Indexed> entriesOfJob(String jobId) {
    List<Indexed> out = new ArrayList<>();
    for (long i : indicesOfJob(jobId, java.util.Optional.empty())) {
      out.add(new Indexed(i, entry(i)));
    }
    return out;
  }

  /** The number of entries of each job in {@code audit_index}, by job id (sorted). */
  public java.util.SortedMap<String, Long> entryCountsByJob() {
    return store.reading(
        "count the audit entries of each job",
        c -> {
          java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT job_id, COUNT(*) FROM audit_index GROUP BY job_id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getLong(2));
            }
          }
          return out;
        });
  }

  /** The latest checkpoint signed by this log, if any (no new one is signed). */
  public synchronized java.util.Optional<SignedCheckpoint> latestCheckpoint() {
    return java.util.Optional.ofNullable(latest);
  }

  /**
   * Everything the log holds now, as {@link #export()} without signing a new checkpoint: entries
   * appended after the latest checkpoint are included but no checkpoint vouches for them yet.
   * Appends and checkpoints wait meanwhile, so the entries cover every exported checkpoint.
   */
  public synchronized Export snapshot() {
    return Export.of(log, signer.verifier());
  }

  /**
   * Checkpoints the log and returns everything a verifier needs, consistent with that checkpoint.
   */
  public synchronized Export export() {
    checkpoint();
    return Export.of(log, signer.verifier(), cosignatures.all());
  }

  /** Writes {@link #export()} to {@code file} (atomically: a reader never sees half a file). */
  public void exportTo(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    export().write(tmp);
    LogKeys.move(tmp, file);
  }
}
