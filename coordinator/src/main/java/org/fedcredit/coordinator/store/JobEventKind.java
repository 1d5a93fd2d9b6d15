package org.fedcredit.coordinator.store;

import java.util.Arrays;

/**
 * What a {@link JobEvent} records. Stored as its {@link #wireName()}; adding a kind needs no
 * migration.
 */
public enum JobEventKind {
  SUBMITTED("submitted"),
  APPROVED("approved"),
  REJECTED("rejected"),
  PARTY_ACCEPTED("party-accepted"),
  PARTY_REJECTED("party-rejected"),
  STEP_STARTED("step-started"),
  STEP_FINISHED("step-finished"),
  PROGRESS("progress"),
  FAILED("failed"),
  SUCCEEDED("succeeded"),
  CANCELLED("cancelled");

  private final String wireName;

  JobEventKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored in {@code job_events.kind} and shown to watchers, e.g. party-accepted. */
  public String wireName() {
    return wireName;
  }

  /** The event a transition into {@code state} writes (RUNNING writes step-started). */
  static JobEventKind forTransitionTo(JobState state) {
    return switch (state) {
      case SUBMITTED -> SUBMITTED;
      case APPROVED -> APPROVED;
      case REJECTED -> REJECTED;
      case RUNNING -> STEP_STARTED;
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case CANCELLED -> CANCELLED;
    };
  }

  static JobEventKind fromWireName(String name) {
    return Arrays.stream(values())
        .filter(k -> k.wireName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new StoreException(
                    "job_events holds unknown event kind '"
                        + name
                        + "' (written by a newer coordinator?); use that coordinator version"));
  }
}
