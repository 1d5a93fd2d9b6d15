package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A party's answer to a job (DESIGN §5 step 2): each party checks its local policy and accepts or
 * rejects with a reason. Every party listed in the submission starts {@code PENDING}.
 *
 * @param decidedAt when the answer was recorded (submission time while pending)
 */
public record PartyDecision(
    String jobId, String partyId, Decision decision, Optional<String> reason, Instant decidedAt) {

  /** A party's answer. */
  public enum Decision {
    PENDING,
    ACCEPTED,
    REJECTED
  }

  public PartyDecision {
    Checks.jobId(jobId);
    Checks.text(partyId, "party id", 255);
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    decidedAt = Checks.micros(decidedAt, "decidedAt");
  }
}
