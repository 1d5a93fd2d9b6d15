package org.fedcredit.coordinator;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.JobEvent;
import org.fedcredit.coordinator.store.JobRecord;
import org.fedcredit.coordinator.store.ModelRecord;
import org.fedcredit.coordinator.store.PartyRecord;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.protocols.coordinator.v1.AuditProof;
import org.fedcredit.protocols.coordinator.v1.ConsistencyProof;
import org.fedcredit.protocols.coordinator.v1.ConsistencyProofRequest;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.DecisionDigest;
import org.fedcredit.protocols.coordinator.v1.DecisionDigests;
import org.fedcredit.protocols.coordinator.v1.DecisionReceipt;
import org.fedcredit.protocols.coordinator.v1.HeartbeatRequest;
import org.fedcredit.protocols.coordinator.v1.HeartbeatResponse;
import org.fedcredit.protocols.coordinator.v1.JobRef;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.protocols.coordinator.v1.ListJobsRequest;
import org.fedcredit.protocols.coordinator.v1.ListJobsResponse;
import org.fedcredit.protocols.coordinator.v1.ModelMetadata;
import org.fedcredit.protocols.coordinator.v1.ModelProofRequest;
import org.fedcredit.protocols.coordinator.v1.PartyDecision;
import org.fedcredit.protocols.coordinator.v1.RegisterPartyRequest;
import org.fedcredit.protocols.coordinator.v1.RegisterPartyResponse;
import org.fedcredit.protocols.coordinator.v1.SubmitJobRequest;
import org.fedcredit.protocols.coordinator.v1.WatchJobRequest;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.PeerIdentity;

/**
 * The coordinator's gRPC API. The caller is always the authenticated party of the connection
 * ({@link PeerIdentity}); only parties on the coordinator's allow-list get anywhere.
 */
final class CoordinatorGrpcService extends CoordinatorServiceGrpc.CoordinatorServiceImplBase {

  private final CoordinatorStore store;
  private final JobScheduler scheduler;
  private final Set<PartyId> allowed;
  private final int heartbeatSeconds;
  private final Clock clock;
  private final CertificateFingerprints fingerprints;

  CoordinatorGrpcService(
      CoordinatorStore store,
      JobScheduler scheduler,
      Set<PartyId> allowed,
      int heartbeatSeconds,
      Clock clock,
      CertificateFingerprints fingerprints) {
    this.store = store;
    this.scheduler = scheduler;
    this.allowed = allowed;
    this.heartbeatSeconds = heartbeatSeconds;
    this.clock = clock;
    this.fingerprints = fingerprints;
  }

  /** Supplies the SHA-256 of the caller's certificate (or of nothing, in insecure mode). */
  interface CertificateFingerprints {
    String current();
  }

  /** The authenticated caller, or null after answering PERMISSION_DENIED to an unknown party. */
  private PartyId caller(StreamObserver<?> out) {
    PartyId p = PeerIdentity.current();
    if (!allowed.contains(p)) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "party '"
                      + p
                      + "' is not known to this coordinator; allowed parties: "
                      + allowedText()
                      + " (add it to parties: in coordinator.yaml)")
              .asRuntimeException());
      return null;
    }
    return p;
  }

  private String allowedText() {
    return allowed.stream().map(PartyId::name).sorted().toList().toString();
  }

  @Override
  public void registerParty(RegisterPartyRequest req, StreamObserver<RegisterPartyResponse> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    try {
      PeerAddress.parse(req.getAddress());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    store.registerParty(
        new PartyRecord(
            p.name(),
            req.getAddress(),
            fingerprints.current(),
            clock.instant(),
            Optional.of(clock.instant())));
    scheduler.heartbeat(p.name());
    out.onNext(
        RegisterPartyResponse.newBuilder()
            .setParty(p.name())
            .setHeartbeatSeconds(heartbeatSeconds)
            .build());
    out.onCompleted();
  }

  @Override
  public void getConsistencyProof(
      ConsistencyProofRequest req, StreamObserver<ConsistencyProof> out) {
    if (caller(out) == null) {
      return;
    }
    List<byte[]> proof;
    try {
      proof = scheduler.consistencyProof(req.getOldSize(), req.getNewSize());
    } catch (IllegalArgumentException e) {
      out.onError(Status.OUT_OF_RANGE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ConsistencyProof.Builder b = ConsistencyProof.newBuilder();
    proof.forEach(h -> b.addHashes(com.google.protobuf.ByteString.copyFrom(h)));
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    scheduler.heartbeat(p.name());
    if (!req.getJobId().isEmpty() && !req.getProgress().isEmpty()) {
      scheduler.progressReport(req.getJobId(), p.name(), req.getStep(), req.getProgress());
    }
    out.onNext(HeartbeatResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void submitJob(SubmitJobRequest req, StreamObserver<JobSummary> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    try {
      JobRecord j = scheduler.submit(p.name(), req.getSpecYaml());
      out.onNext(summary(j));
      out.onCompleted();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void cancelJob(JobRef req, StreamObserver<JobSummary> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    Optional<JobRecord> j = store.job(req.getJobId());
    if (j.isEmpty() || !j.get().submitter().equals(p.name())) {
      out.onError(notFound(req.getJobId()));
      return;
    }
    out.onNext(summary(scheduler.cancel(req.getJobId(), p.name())));
    out.onCompleted();
  }

  @Override
  public void getJob(JobRef req, StreamObserver<JobSummary> out) {
    if (caller(out) == null) {
      return;
    }
    Optional<JobRecord> j = store.job(req.getJobId());
    if (j.isEmpty()) {
      out.onError(notFound(req.getJobId()));
      return;
    }
    out.onNext(summary(j.get()));
    out.onCompleted();
  }

  @Override
  public void listJobs(ListJobsRequest req, StreamObserver<ListJobsResponse> out) {
    if (caller(out) == null) {
      return;
    }
    int limit = req.getLimit() == 0 ? 50 : req.getLimit();
    ListJobsResponse.Builder b = ListJobsResponse.newBuilder();
    store.jobs().stream().limit(limit).map(this::summary).forEach(b::addJobs);
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void watchJob(
      WatchJobRequest req, StreamObserver<org.fedcredit.protocols.coordinator.v1.JobEvent> out) {
    if (caller(out) == null) {
      return;
    }
    if (store.job(req.getJobId()).isEmpty()) {
      out.onError(notFound(req.getJobId()));
      return;
    }
    ServerCallStreamObserver<?> call = (ServerCallStreamObserver<?>) out;
    long after = req.getAfterSeq();
    try {
      while (!call.isCancelled()) {
        // The state first, then the events: a job's end and its last event are written in one
        // transaction, so a job seen terminal here has all its events visible to the next read.
        // (The other order could see no new event, then the end, and drop the last event.)
        JobRecord job = store.job(req.getJobId()).orElseThrow();
        List<JobEvent> events = store.events(req.getJobId(), after);
        for (JobEvent e : events) {
          out.onNext(wire(e, job));
          after = e.seq();
        }
        if (events.isEmpty() && job.state().isTerminal()) {
          out.onCompleted();
          return;
        }
        if (events.isEmpty()) {
          Thread.sleep(250);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(
          Status.UNAVAILABLE.withDescription("coordinator shutting down").asRuntimeException());
    }
  }

  @Override
  public void reportDecision(PartyDecision req, StreamObserver<JobSummary> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    try {
      scheduler.decide(req.getJobId(), p.name(), req.getAccept(), req.getReason());
    } catch (JobSpecException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    out.onNext(summary(store.job(req.getJobId()).orElseThrow()));
    out.onCompleted();
  }

  @Override
  public void getModel(JobRef req, StreamObserver<ModelMetadata> out) {
    if (caller(out) == null) {
      return;
    }
    Optional<ModelRecord> m =
        store.models().stream().filter(x -> x.jobId().equals(req.getJobId())).findFirst();
    if (m.isEmpty()) {
      out.onError(
          Status.NOT_FOUND
              .withDescription("no model for job " + req.getJobId() + " (has it succeeded?)")
              .asRuntimeException());
      return;
    }
    ModelRecord r = m.get();
    out.onNext(
        ModelMetadata.newBuilder()
            .setModelId(r.modelId())
            .setJobId(r.jobId())
            .setCreatedAtMs(r.createdAt().toEpochMilli())
            .setMetricsJson(r.metricsJson())
            .putAllShardSha256(r.shardSha256())
            .build());
    out.onCompleted();
  }

  @Override
  public void recordDecisions(DecisionDigests req, StreamObserver<DecisionReceipt> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    if (req.getDecisionsCount() == 0) {
      out.onError(
          Status.INVALID_ARGUMENT.withDescription("no decisions to record").asRuntimeException());
      return;
    }
    Map<String, Optional<Long>> models = new HashMap<>();
    Map<String, Optional<JobRecord>> jobs = new HashMap<>();
    for (int i = 0; i < req.getDecisionsCount(); i++) {
      DecisionDigest d = req.getDecisions(i);
      String where = "decisions[" + i + "]: ";
      if (!d.getDecisionSha256().matches("[0-9a-f]{64}")) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription(where + "decision_sha256 must be 64 lower-case hex digits")
                .asRuntimeException());
        return;
      }
      Optional<JobRecord> job = jobs.computeIfAbsent(d.getModelJob(), store::job);
      if (job.isPresent() && !job.get().submitter().equals(p.name())) {
        out.onError(
            Status.PERMISSION_DENIED
                .withDescription(
                    where
                        + "only the label party of job "
                        + d.getModelJob()
                        + " ("
                        + job.get().submitter()
                        + ") records decisions of its model, not "
                        + p.name())
                .asRuntimeException());
        return;
      }
      models.computeIfAbsent(
          d.getModelJob() + "\n" + d.getModelVersion(),
          k -> publishedModel(p.name(), d.getModelJob(), d.getModelVersion()));
    }
    List<Long> indices =
        scheduler
            .audit()
            .decisionsServed(
                p.name(),
                req.getDecisionsList(),
                d -> models.get(d.getModelJob() + "\n" + d.getModelVersion()));
    out.onNext(DecisionReceipt.newBuilder().addAllIndices(indices).build());
    out.onCompleted();
  }

  /**
   * The {@code model-published} entry of the model a decision names: a job of {@code caller} (named
   * by its id, or by the {@code job:} name its shard carries) whose published shard of {@code
   * caller} has a SHA-256 starting with {@code version} (the node's model version is that prefix).
   * Empty for a model this coordinator did not publish (e.g. one trained with {@code run
   * --simulate}).
   */
  private Optional<Long> publishedModel(String caller, String job, String version) {
    List<JobRecord> candidates =
        store
            .job(job)
            .map(List::of)
            .orElseGet(
                () ->
                    store.jobs().stream()
                        .filter(j -> j.name().equals(job) && j.submitter().equals(caller))
                        .toList());
    if (candidates.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    java.util.Set<String> ids =
        candidates.stream().map(JobRecord::jobId).collect(java.util.stream.Collectors.toSet());
    for (ModelRecord m : store.models()) {
      String shard = ids.contains(m.jobId()) ? m.shardSha256().get(caller) : null;
      if (shard != null && shard.startsWith(version)) {
        return scheduler.audit().modelEntry(m.jobId());
      }
    }
    return Optional.empty();
  }

  @Override
  public void getModelProof(ModelProofRequest req, StreamObserver<AuditProof> out) {
    PartyId p = caller(out);
    if (p == null) {
      return;
    }
    Optional<Long> index = publishedModel(p.name(), req.getModelJob(), req.getModelVersion());
    if (index.isEmpty()) {
      out.onError(
          Status.NOT_FOUND
              .withDescription(
                  "the audit log has no release of a model "
                      + req.getModelJob()
                      + " version "
                      + req.getModelVersion()
                      + " with a shard of "
                      + p.name()
                      + " (was it published through this coordinator?)")
              .asRuntimeException());
      return;
    }
    String json =
        org.fedcredit.coordinator.audit.EntryProof.of(scheduler.audit().log(), index.get())
            .toJson();
    out.onNext(AuditProof.newBuilder().setIndex(index.get()).setProofJson(json).build());
    out.onCompleted();
  }

  private static RuntimeException notFound(String jobId) {
    return Status.NOT_FOUND.withDescription("no job " + jobId).asRuntimeException();
  }

  JobSummary summary(JobRecord j) {
    JobSummary.Builder b =
        JobSummary.newBuilder()
            .setJobId(j.jobId())
            .setName(j.name())
            .setAlgorithm(j.algorithm())
            .setSubmitter(j.submitter())
            .setState(j.state().name().toLowerCase())
            .setStepCount(org.fedcredit.modelzoo.job.VerticalJobParty.STEPS.size())
            .setMessage(j.message().orElse(""))
            .setCreatedAtMs(j.createdAt().toEpochMilli())
            .setUpdatedAtMs(j.updatedAt().toEpochMilli());
    j.currentStep().ifPresent(s -> b.setStep(s.name()).setStepIndex(s.index()));
    return b.build();
  }

  private static org.fedcredit.protocols.coordinator.v1.JobEvent wire(JobEvent e, JobRecord job) {
    return org.fedcredit.protocols.coordinator.v1.JobEvent.newBuilder()
        .setJobId(e.jobId())
        .setSeq(e.seq())
        .setAtMs(e.at().toEpochMilli())
        .setKind(e.kind().wireName())
        .setParty(e.party().orElse(""))
        .setStep(e.step().orElse(""))
        .setMessage(e.message())
        .setDetailJson(e.detailJson())
        .setState(job.state().name().toLowerCase())
        .build();
  }
}
