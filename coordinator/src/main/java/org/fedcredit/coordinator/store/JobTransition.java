package org.fedcredit.coordinator.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A requested state change of a job, for {@link CoordinatorStore#transition}.
 *
 * @param expectedFrom if present, the change applies only if the job is in this state (optimistic
 *     check: "approve it if it is still SUBMITTED")
 * @param to the new state
 * @param step if present, the job's current step becomes this one; if empty the job keeps its step
 *     (so a failure or cancellation records where it happened)
 * @param message why (shown to users; kept on the job for REJECTED, FAILED and CANCELLED, and
 *     written to the event in every case)
 */
public record JobTransition(
    Optional<JobState> expectedFrom, JobState to, Optional<JobStep> step, String message) {
  public JobTransition {
    Objects.requireNonNull(expectedFrom, "expectedFrom");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(message, "message");
  }

  /** Move to {@code to} from whatever state the job is in, if the state machine allows it. */
  public static JobTransition to(JobState to, String message) {
    return new JobTransition(Optional.empty(), to, Optional.empty(), message);
  }

  /** This transition, applied only if the job is in {@code expected}. */
  public JobTransition from(JobState expected) {
    return new JobTransition(Optional.of(expected), to, step, message);
  }

  /** This transition, also moving the job to step {@code name} at position {@code index}. */
  public JobTransition atStep(String name, int index) {
    return new JobTransition(expectedFrom, to, Optional.of(new JobStep(name, index)), message);
  }
}
