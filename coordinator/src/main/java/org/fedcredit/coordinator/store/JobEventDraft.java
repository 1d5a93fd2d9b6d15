package org.fedcredit.coordinator.store;

import java.util.Objects;
import java.util.Optional;

/**
 * An event to append to a job's log with {@link CoordinatorStore#appendEvent}; the store assigns
 * the sequence number and the time.
 *
 * @param detailJson a JSON object with machine-readable detail ({@code {}} if none)
 */
public record JobEventDraft(
    JobEventKind kind,
    Optional<String> party,
    Optional<String> step,
    String message,
    String detailJson) {
  public JobEventDraft {
    Objects.requireNonNull(kind, "kind");
    Checks.optionalText(party, "party id", 255);
    Checks.optionalText(step, "step name", 64);
    Objects.requireNonNull(message, "message");
    detailJson = Json.requireObject(detailJson, "detail of a " + kind.wireName() + " event");
  }

  /** An event with no party, no step and no detail. */
  public static JobEventDraft of(JobEventKind kind, String message) {
    return new JobEventDraft(kind, Optional.empty(), Optional.empty(), message, "{}");
  }

  public JobEventDraft withParty(String party) {
    return new JobEventDraft(kind, Optional.of(party), step, message, detailJson);
  }

  public JobEventDraft withStep(String step) {
    return new JobEventDraft(kind, party, Optional.of(step), message, detailJson);
  }

  public JobEventDraft withDetail(String detailJson) {
    return new JobEventDraft(kind, party, step, message, detailJson);
  }
}
