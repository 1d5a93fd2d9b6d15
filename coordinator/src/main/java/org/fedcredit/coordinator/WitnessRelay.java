package org.fedcredit.coordinator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.PartyRecord;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.CosignatureMessages;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the witnesses (docs/protocols/transparency-log.md, "Witnesses"): each
 * step request carries the log's latest signed checkpoint, its verifier key and the cosignatures
 * the job's other parties made on the checkpoint they were shown last; each step result carries the
 * party's cosignature, which is checked here (its certificate is the one the party registered with,
 * its signature verifies, it is on the checkpoint sent) and kept in the store.
 */
final class WitnessRelay {
  private static final Logger LOG = LoggerFactory.getLogger(WitnessRelay.class);

  private final AuditLog log;
  private final CoordinatorStore store;

  /** Job id -> party -> the latest cosignature it returned in that job. */
  private final Map<String, Map<String, Cosignature>> latest = new ConcurrentHashMap<>();

  WitnessRelay(AuditLog log, CoordinatorStore store) {
    this.log = log;
    this.store = store;
  }

  /** Signs (if anything was appended since the last one) and returns the checkpoint to show. */
  SignedCheckpoint checkpoint() {
    return log.checkpoint();
  }

  /**
   * The step request for {@code party}: {@code base} with the checkpoint and, for each other party
   * of the job, the latest cosignature it returned in this job — or, before it returned one here,
   * its latest cosignature from an earlier job, so that views are compared across jobs too.
   */
  StepRequest requestFor(
      StepRequest base, String jobId, String party, List<String> parties, SignedCheckpoint cp) {
    StepRequest.Builder b =
        base.toBuilder().setCheckpoint(cp.note()).setLogKey(log.verifier().encode());
    Map<String, Cosignature> inJob = latest.getOrDefault(jobId, Map.of());
    for (String p : parties) {
      if (!p.equals(party)) {
        Optional.ofNullable(inJob.get(p))
            .or(() -> log.cosignatures().latestOf(p))
            .ifPresent(c -> b.addCosignatures(CosignatureMessages.toMessage(c)));
      }
    }
    return b.build();
  }

  /**
   * Checks and records the cosignature in {@code party}'s result on {@code cp}.
   *
   * @return why the cosignature is not acceptable, if it is not
   */
  Optional<String> accept(String jobId, String party, SignedCheckpoint cp, StepResult result) {
    if (!result.hasCosignature()) {
      // A node in --insecure-dev mode has no key to cosign with; it still checked the checkpoint.
      LOG.warn("{} returned no cosignature on checkpoint size {}", party, cp.size());
      return Optional.empty();
    }
    Cosignature c = CosignatureMessages.fromMessage(result.getCosignature());
    try {
      c.verify();
    } catch (CheckpointException e) {
      return Optional.of(e.getMessage());
    }
    if (!c.witness().equals(party)) {
      return Optional.of("its cosignature is by " + c.witness() + ", not by " + party);
    }
    if (!c.checkpoint().equals(cp.body())) {
      return Optional.of(
          "it cosigned another checkpoint than the one sent (size "
              + cp.size()
              + "): "
              + c.checkpoint().replace('\n', ' ').trim());
    }
    String registered =
        store.party(party).map(PartyRecord::certificateSha256).orElse("unregistered");
    if (!c.certificateSha256().equals(registered)) {
      return Optional.of(
          "it cosigned with certificate sha256 "
              + c.certificateSha256()
              + " but registered with "
              + registered);
    }
    try {
      log.cosignatures().record(c);
    } catch (CheckpointException e) {
      return Optional.of(e.getMessage());
    }
    latest.computeIfAbsent(jobId, j -> new ConcurrentHashMap<>()).put(party, c);
    return Optional.empty();
  }

  /** The job ended: its relayed views are dropped (the cosignatures stay in the store). */
  void forget(String jobId) {
    latest.remove(jobId);
  }

  /** A consistency proof between two sizes of the log, for a witnessing node. */
  List<byte[]> consistencyProof(long oldSize, long newSize) {
    long size = log.size();
    if (oldSize < 0 || oldSize > newSize || newSize > size) {
      throw new IllegalArgumentException(
          "no consistency proof from size "
              + oldSize
              + " to "
              + newSize
              + ": sizes must satisfy 0 <= old <= new <= "
              + size
              + " (the log's size)");
    }
    return log.log().consistencyProof(oldSize, newSize);
  }
}
