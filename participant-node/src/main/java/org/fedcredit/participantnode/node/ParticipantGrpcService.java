package org.fedcredit.participantnode.node;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.protocols.participant.v1.AbortAck;
import org.fedcredit.protocols.participant.v1.AbortRequest;
import org.fedcredit.protocols.participant.v1.ApproveRequest;
import org.fedcredit.protocols.participant.v1.Cosignature;
import org.fedcredit.protocols.participant.v1.JobProposal;
import org.fedcredit.protocols.participant.v1.NodeStatus;
import org.fedcredit.protocols.participant.v1.ParticipantServiceGrpc;
import org.fedcredit.protocols.participant.v1.ProposalAnswer;
import org.fedcredit.protocols.participant.v1.StatusRequest;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;
import org.fedcredit.transport.tls.PeerIdentity;

/**
 * The participant service of a node: what the coordinator may ask of it, and the operator's
 * approval call (only the node's own certificate may make it).
 */
final class ParticipantGrpcService extends ParticipantServiceGrpc.ParticipantServiceImplBase {

  /** Tells the coordinator about an operator's decision. */
  interface DecisionReporter {
    void report(String jobId, boolean accept, String reason);
  }

  /**
   * Witnesses the checkpoint in a step request before the step runs (the node's {@code Witness});
   * returns the node's cosignature, if it has a key to cosign with.
   *
   * @throws NodeJobs.RefusedException saying why the checkpoint is refused
   */
  interface StepWitness {
    Optional<Cosignature> witness(StepRequest request);
  }

  private final NodeJobs jobs;
  private final PartyId self;
  private final DecisionReporter reporter;
  private final PartyId coordinator;
  private final StepWitness witness;

  ParticipantGrpcService(
      NodeJobs jobs,
      PartyId self,
      DecisionReporter reporter,
      PartyId coordinator,
      StepWitness witness) {
    this.jobs = jobs;
    this.self = self;
    this.reporter = reporter;
    this.coordinator = coordinator;
    this.witness = witness;
  }

  @Override
  public void proposeJob(JobProposal req, StreamObserver<ProposalAnswer> out) {
    Map<PartyId, String> addresses = new LinkedHashMap<>();
    try {
      req.getAddressesMap().forEach((k, v) -> addresses.put(PartyId.of(k), v));
      NodeJobs.Answer a =
          jobs.propose(
              PeerIdentity.current(),
              req.getJobId(),
              req.getSpecYaml(),
              PartyId.of(req.getRequester()),
              addresses);
      out.onNext(answer(a));
      out.onCompleted();
    } catch (NodeJobs.RefusedException e) {
      out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void startStep(StepRequest req, StreamObserver<StepResult> out) {
    try {
      PartyId caller = PeerIdentity.current();
      // Only the coordinator's requests are witnessed; anybody else is refused by runStep.
      Optional<Cosignature> cosignature =
          caller.equals(coordinator) ? witness.witness(req) : Optional.empty();
      String detail = jobs.runStep(caller, req.getJobId(), req.getStep());
      StepResult.Builder result =
          StepResult.newBuilder()
              .setJobId(req.getJobId())
              .setStep(req.getStep())
              .setDetailJson(detail);
      cosignature.ifPresent(result::setCosignature);
      out.onNext(result.build());
      out.onCompleted();
    } catch (NodeJobs.RefusedException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    } catch (JobSpecException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      out.onError(
          Status.INTERNAL
              .withDescription(e.getMessage() == null ? e.toString() : e.getMessage())
              .asRuntimeException());
    }
  }

  @Override
  public void witness(StepRequest req, StreamObserver<StepResult> out) {
    PartyId caller = PeerIdentity.current();
    if (!caller.equals(coordinator)) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription("only the coordinator asks " + self + " to witness its log")
              .asRuntimeException());
      return;
    }
    try {
      StepResult.Builder result =
          StepResult.newBuilder().setJobId(req.getJobId()).setStep(req.getStep());
      witness.witness(req).ifPresent(result::setCosignature);
      out.onNext(result.build());
      out.onCompleted();
    } catch (NodeJobs.RefusedException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void abortJob(AbortRequest req, StreamObserver<AbortAck> out) {
    try {
      boolean running = jobs.abort(PeerIdentity.current(), req.getJobId(), req.getReason());
      out.onNext(AbortAck.newBuilder().setWasRunning(running).build());
      out.onCompleted();
    } catch (NodeJobs.RefusedException e) {
      out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void status(StatusRequest req, StreamObserver<NodeStatus> out) {
    Map<String, List<String>> s = jobs.status();
    NodeStatus.Builder b =
        NodeStatus.newBuilder()
            .setParty(self.name())
            .addAllAcceptedJobs(s.getOrDefault("accepted", List.of()))
            .addAllPendingJobs(s.getOrDefault("pending", List.of()));
    jobs.running().ifPresent(r -> b.setRunningJob(r[0]).setRunningStep(r[1]));
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void approve(ApproveRequest req, StreamObserver<ProposalAnswer> out) {
    PartyId caller = PeerIdentity.current();
    if (!caller.equals(self)) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "only " + self + "'s own certificate may approve its jobs; caller is " + caller)
              .asRuntimeException());
      return;
    }
    try {
      NodeJobs.Answer a = jobs.approve(req.getJobId(), req.getAccept(), req.getReason());
      reporter.report(req.getJobId(), req.getAccept(), req.getReason());
      out.onNext(answer(a));
      out.onCompleted();
    } catch (NodeJobs.RefusedException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription(
                  "approved here, but the coordinator could not be told: " + e.getMessage())
              .asRuntimeException());
    }
  }

  private static ProposalAnswer answer(NodeJobs.Answer a) {
    return ProposalAnswer.newBuilder()
        .setVerdict(
            switch (a.verdict()) {
              case ACCEPTED -> ProposalAnswer.Verdict.ACCEPTED;
              case REJECTED -> ProposalAnswer.Verdict.REJECTED;
              case PENDING -> ProposalAnswer.Verdict.PENDING;
            })
        .setReason(a.reason())
        .build();
  }
}
