package org.fedcredit.coordinator.store;

/**
 * A job state change that {@link JobState} does not allow, or that expected a state the job is no
 * longer in (someone else moved it first). Nothing was written.
 */
public final class IllegalJobTransitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final JobState from;
  private final JobState to;

  IllegalJobTransitionException(String jobId, JobState from, JobState to, String why) {
    super("job " + jobId + " cannot go from " + from + " to " + to + ": " + why);
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  public String jobId() {
    return jobId;
  }

  /** The state the job was actually in. */
  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }
}
