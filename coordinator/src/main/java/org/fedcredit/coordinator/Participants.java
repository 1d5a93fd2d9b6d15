package org.fedcredit.coordinator;

import java.util.concurrent.CompletableFuture;
import org.fedcredit.protocols.participant.v1.JobProposal;
import org.fedcredit.protocols.participant.v1.ProposalAnswer;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;

/**
 * How the scheduler reaches participant nodes: over gRPC with mutual TLS in a deployment, by a fake
 * in scheduler tests. Calls fail with a {@link io.grpc.StatusRuntimeException} (or a failed future)
 * when the node is unreachable or refuses.
 */
public interface Participants {

  /** Asks {@code party} whether it joins the job (deadline: seconds). */
  ProposalAnswer propose(String party, String address, JobProposal proposal);

  /** Starts a step at {@code party}; the future completes when the step is done there. */
  CompletableFuture<StepResult> startStep(String party, String address, StepRequest request);

  /** Asks {@code party} to witness the log's checkpoint in {@code request} (no step runs). */
  CompletableFuture<StepResult> witness(String party, String address, StepRequest request);

  /** Tells {@code party} to stop the job (best effort; failures are ignored). */
  void abort(String party, String address, String jobId, String reason);
}
