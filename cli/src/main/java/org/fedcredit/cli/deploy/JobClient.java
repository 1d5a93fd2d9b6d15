package org.fedcredit.cli.deploy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.JobEvent;
import org.fedcredit.protocols.coordinator.v1.JobRef;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.protocols.coordinator.v1.ListJobsRequest;
import org.fedcredit.protocols.coordinator.v1.ModelMetadata;
import org.fedcredit.protocols.coordinator.v1.SubmitJobRequest;
import org.fedcredit.protocols.coordinator.v1.WatchJobRequest;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TransportSecurity;

/** The job API of the coordinator, as the bank's modelling team (or the demo) uses it. */
public final class JobClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final CoordinatorServiceGrpc.CoordinatorServiceBlockingStub stub;
  private final String where;

  public JobClient(TransportSecurity security, PartyId coordinator, PeerAddress address) {
    this.channel = GrpcChannels.forPeer(security, coordinator, address);
    this.stub = CoordinatorServiceGrpc.newBlockingStub(channel);
    this.where = coordinator + " at " + address;
  }

  /** Submits a job spec; returns at once with the job id. */
  public JobSummary submit(String specYaml) {
    return call(
        () ->
            stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                .submitJob(SubmitJobRequest.newBuilder().setSpecYaml(specYaml).build()));
  }

  public JobSummary get(String jobId) {
    return call(() -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).getJob(ref(jobId)));
  }

  public JobSummary cancel(String jobId) {
    return call(() -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).cancelJob(ref(jobId)));
  }

  public List<JobSummary> list(int limit) {
    return call(
        () ->
            stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .listJobs(ListJobsRequest.newBuilder().setLimit(limit).build())
                .getJobsList());
  }

  public ModelMetadata model(String jobId) {
    return call(() -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).getModel(ref(jobId)));
  }

  /**
   * Streams the job's events (history first) to {@code sink} until the job ends; returns the end.
   */
  public JobSummary watch(String jobId, Consumer<JobEvent> sink) {
    return call(
        () -> {
          Iterator<JobEvent> it =
              stub.watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
          while (it.hasNext()) {
            sink.accept(it.next());
          }
          return stub.withDeadlineAfter(30, TimeUnit.SECONDS).getJob(ref(jobId));
        });
  }

  /** A model's metadata as a JSON-friendly map. */
  public static java.util.Map<String, Object> toMap(ModelMetadata m) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("model_id", m.getModelId());
    out.put("job_id", m.getJobId());
    out.put("created_at", java.time.Instant.ofEpochMilli(m.getCreatedAtMs()).toString());
    try {
      out.put(
          "metrics",
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.getMetricsJson()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      out.put("metrics", m.getMetricsJson());
    }
    out.put("shard_sha256", new java.util.TreeMap<>(m.getShardSha256Map()));
    return out;
  }

  private static JobRef ref(String jobId) {
    return JobRef.newBuilder().setJobId(jobId).build();
  }

  private <T> T call(java.util.function.Supplier<T> c) {
    try {
      return c.get();
    } catch (StatusRuntimeException e) {
      String d = e.getStatus().getDescription();
      throw new CoordinatorCallException(
          switch (e.getStatus().getCode()) {
            case UNAVAILABLE ->
                "cannot reach the coordinator "
                    + where
                    + (d == null ? "" : ": " + d)
                    + "; is it running?";
            default ->
                "the coordinator refused: " + (d == null ? e.getStatus().getCode().toString() : d);
          },
          e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT
              || e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND
              || e.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED);
    }
  }

  /** A call the coordinator refused or that could not reach it. */
  public static final class CoordinatorCallException extends RuntimeException {
    private final boolean userError;

    CoordinatorCallException(String message, boolean userError) {
      super(message);
      this.userError = userError;
    }

    /** Whether the caller can fix it (bad spec, unknown job, not allowed). */
    public boolean userError() {
      return userError;
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
