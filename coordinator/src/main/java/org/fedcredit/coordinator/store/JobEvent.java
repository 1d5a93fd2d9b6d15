package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a job's event log. Sequence numbers start at 1 per job and have no gaps, so a
 * watcher that has seen {@code seq} asks for {@link CoordinatorStore#events(String, long)} after
 * it.
 */
public record JobEvent(
    String jobId,
    long seq,
    Instant at,
    JobEventKind kind,
    Optional<String> party,
    Optional<String> step,
    String message,
    String detailJson) {
  public JobEvent {
    Checks.jobId(jobId);
    if (seq < 1) {
      throw new IllegalArgumentException("event seq " + seq + " of job " + jobId + " is below 1");
    }
    at = Checks.micros(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(detailJson, "detailJson");
  }
}
