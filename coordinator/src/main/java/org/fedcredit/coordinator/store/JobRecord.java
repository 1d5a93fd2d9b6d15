package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as stored.
 *
 * @param currentStep the step the job is at (or failed/was cancelled at); empty before it runs
 * @param message the reason given for the latest rejection, failure or cancellation
 */
public record JobRecord(
    String jobId,
    String name,
    String algorithm,
    String submitter,
    String specYaml,
    JobState state,
    Optional<JobStep> currentStep,
    Optional<String> message,
    Instant createdAt,
    Instant updatedAt) {
  public JobRecord {
    Checks.jobId(jobId);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(submitter, "submitter");
    Objects.requireNonNull(specYaml, "specYaml");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(currentStep, "currentStep");
    Objects.requireNonNull(message, "message");
    createdAt = Checks.micros(createdAt, "createdAt");
    updatedAt = Checks.micros(updatedAt, "updatedAt");
  }
}
