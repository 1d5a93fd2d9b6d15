package org.fedcredit.coordinator;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.participant.v1.AbortRequest;
import org.fedcredit.protocols.participant.v1.JobProposal;
import org.fedcredit.protocols.participant.v1.ParticipantServiceGrpc;
import org.fedcredit.protocols.participant.v1.ProposalAnswer;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TransportSecurity;

/** {@link Participants} over gRPC with the coordinator's TLS identity; one channel per node. */
final class GrpcParticipants implements Participants, AutoCloseable {

  private final TransportSecurity security;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  GrpcParticipants(TransportSecurity security) {
    this.security = security;
  }

  private ManagedChannel channel(String party, String address) {
    return channels.compute(
        party + "@" + address,
        (k, c) ->
            c != null && !c.isShutdown()
                ? c
                : GrpcChannels.forPeer(security, PartyId.of(party), PeerAddress.parse(address)));
  }

  @Override
  public ProposalAnswer propose(String party, String address, JobProposal proposal) {
    ManagedChannel ch = channel(party, address);
    // A node that was down a moment ago may be back: reconnect now instead of after the channel's
    // backoff, and let the proposal wait (bounded) for the connection. Steps, by contrast, fail
    // fast on a lost connection: that is how a dead party is detected.
    ch.resetConnectBackoff();
    return ParticipantServiceGrpc.newBlockingStub(ch)
        .withWaitForReady()
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .proposeJob(proposal);
  }

  @Override
  public CompletableFuture<StepResult> witness(String party, String address, StepRequest request) {
    return completable(
        ParticipantServiceGrpc.newFutureStub(channel(party, address))
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .witness(request));
  }

  @Override
  public CompletableFuture<StepResult> startStep(
      String party, String address, StepRequest request) {
    return completable(
        ParticipantServiceGrpc.newFutureStub(channel(party, address))
            .withDeadlineAfter(7, TimeUnit.DAYS)
            .startStep(request));
  }

  /** {@code call}'s outcome as a CompletableFuture, completed on the call's own thread. */
  private static <T> CompletableFuture<T> completable(
      com.google.common.util.concurrent.ListenableFuture<T> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(T r) {
            out.complete(r);
          }

          @Override
          public void onFailure(Throwable t) {
            out.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
    return out;
  }

  @Override
  public void abort(String party, String address, String jobId, String reason) {
    try {
      ParticipantServiceGrpc.newBlockingStub(channel(party, address))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .abortJob(AbortRequest.newBuilder().setJobId(jobId).setReason(reason).build());
    } catch (RuntimeException e) {
      // Best effort: a party that is gone cannot be told; its own timeouts end its part.
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
