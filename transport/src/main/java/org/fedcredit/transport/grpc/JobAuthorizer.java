package org.fedcredit.transport.grpc;

import org.fedcredit.modelzoo.federation.PartyId;

/**
 * Decides whether a node takes a Federation message for a job from an (authenticated) sender. The
 * node implements it from its job store: accept only for jobs it has accepted, only from that job's
 * parties, and never for a finished job (a replayed message). {@link AcceptedJobs} is an in-memory
 * implementation.
 */
public interface JobAuthorizer {

  /** Whether the message of {@code sender} for {@code jobId} may be delivered. */
  Decision check(String jobId, PartyId sender);

  /**
   * Whether {@code jobId} has finished (succeeded, failed or cancelled) at this node: its messages
   * are refused with FAILED_PRECONDITION.
   */
  boolean isFinished(String jobId);

  /** The verdict; a refusal says why, naming the job and the sender. */
  sealed interface Decision permits Accept, Refuse {
    static Decision accept() {
      return Accept.INSTANCE;
    }

    static Decision refuse(String reason) {
      return new Refuse(reason);
    }
  }

  /** Deliver the message. */
  enum Accept implements Decision {
    INSTANCE
  }

  /** Refuse the message with PERMISSION_DENIED and {@code reason}. */
  record Refuse(String reason) implements Decision {
    public Refuse {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("a refusal needs a reason");
      }
    }
  }
}
