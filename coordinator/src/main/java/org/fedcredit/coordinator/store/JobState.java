package org.fedcredit.coordinator.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of a job, with its legal transitions:
 *
 * <ul>
 *   <li>{@code SUBMITTED → APPROVED | REJECTED | CANCELLED | FAILED}
 *   <li>{@code APPROVED → RUNNING | CANCELLED | FAILED}
 *   <li>{@code RUNNING → RUNNING (next step) | SUCCEEDED | FAILED | CANCELLED}
 *   <li>{@code REJECTED, SUCCEEDED, FAILED, CANCELLED} are terminal: no exits.
 * </ul>
 *
 * {@link CoordinatorStore#transition} enforces this table atomically in the database.
 */
public enum JobState {
  SUBMITTED,
  APPROVED,
  REJECTED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The states this one may move to; empty for terminal states. */
  public Set<JobState> exits() {
    return switch (this) {
      case SUBMITTED -> EnumSet.of(APPROVED, REJECTED, CANCELLED, FAILED);
      case APPROVED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
      case RUNNING -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED);
      case REJECTED, SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
    };
  }

  public boolean canMoveTo(JobState next) {
    return exits().contains(next);
  }

  public boolean isTerminal() {
    return exits().isEmpty();
  }
}
