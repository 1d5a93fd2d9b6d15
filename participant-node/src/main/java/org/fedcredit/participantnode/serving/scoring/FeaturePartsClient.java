package org.fedcredit.participantnode.serving.scoring;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.serving.v1.PartRequest;
import org.fedcredit.protocols.serving.v1.PartResponse;
import org.fedcredit.protocols.serving.v1.PartyScoringGrpc;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TransportSecurity;

/**
 * The bank's side of the one round trip per feature party: every {@code Part} request is sent at
 * once, each with the same deadline, and the answers are collected. A party that does not answer in
 * time, refuses or is unreachable is reported with its reason — the caller then decides "cannot
 * decide", never a score without it.
 */
public final class FeaturePartsClient implements AutoCloseable {

  /** Every party's answer, or why some did not answer. */
  public sealed interface Fetched permits Parts, Missing {}

  /** All parties answered. */
  public record Parts(Map<String, PartMessages.Received> byParty) implements Fetched {}

  /**
   * At least one party did not answer usably.
   *
   * @param reasons per failed party, a one-line reason
   */
  public record Missing(Map<String, String> reasons) implements Fetched {}

  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final Map<String, PartyScoringGrpc.PartyScoringFutureStub> stubs = new LinkedHashMap<>();

  /**
   * Opens one channel per feature party (mTLS with {@code security}).
   *
   * @param parties party name → host and port of its node
   */
  public FeaturePartsClient(TransportSecurity security, Map<String, PeerAddress> parties) {
    Objects.requireNonNull(security, "security");
    parties.forEach(
        (party, address) -> {
          ManagedChannel c = GrpcChannels.forPeer(security, PartyId.of(party), address);
          channels.put(party, c);
          // The answer completes the future on the channel's network thread, which then wakes
          // the waiting decision: one thread handoff per answer instead of two.
          stubs.put(
              party,
              PartyScoringGrpc.newFutureStub(c).withExecutor(MoreExecutors.directExecutor()));
        });
  }

  /** The parties this client asks. */
  public java.util.Set<String> parties() {
    return stubs.keySet();
  }

  /**
   * Asks every party for its part of {@code enterpriseId}'s score, in parallel, all within {@code
   * timeout}.
   */
  public Fetched fetch(
      String job, String modelVersion, String enterpriseId, String requestId, Duration timeout) {
    PartRequest req =
        PartRequest.newBuilder()
            .setJob(job)
            .setModelVersion(modelVersion)
            .setEnterpriseId(enterpriseId)
            .setRequestId(requestId)
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, ListenableFuture<PartResponse>> pending = new LinkedHashMap<>();
    stubs.forEach(
        (party, stub) ->
            pending.put(
                party, stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).part(req)));
    Map<String, PartMessages.Received> ok = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (var e : pending.entrySet()) {
      String party = e.getKey();
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        PartResponse r =
            e.getValue().get(left + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
        ok.put(party, PartMessages.fromProto(party, r));
      } catch (TimeoutException t) {
        e.getValue().cancel(true);
        failed.put(party, party + " did not answer within " + timeout.toMillis() + " ms");
      } catch (ExecutionException x) {
        failed.put(party, reason(party, x.getCause(), timeout));
      } catch (IllegalArgumentException x) {
        failed.put(party, x.getMessage());
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        failed.put(party, "interrupted while waiting for " + party);
      }
    }
    return failed.isEmpty() ? new Parts(ok) : new Missing(failed);
  }

  private static String reason(String party, Throwable t, Duration timeout) {
    if (t instanceof StatusRuntimeException s) {
      Status st = s.getStatus();
      return switch (st.getCode()) {
        case DEADLINE_EXCEEDED -> party + " did not answer within " + timeout.toMillis() + " ms";
        case UNAVAILABLE -> party + " is unreachable (" + describe(st) + ")";
        default -> describe(st);
      };
    }
    return party + " failed: " + t;
  }

  private static String describe(Status st) {
    return st.getDescription() != null ? st.getDescription() : st.getCode().toString();
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
