package org.fedcredit.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.JobEventDraft;
import org.fedcredit.coordinator.store.JobEventKind;
import org.fedcredit.coordinator.store.JobRecord;
import org.fedcredit.coordinator.store.JobState;
import org.fedcredit.coordinator.store.JobSubmission;
import org.fedcredit.coordinator.store.JobTransition;
import org.fedcredit.coordinator.store.ModelRecord;
import org.fedcredit.coordinator.store.PartyDecision;
import org.fedcredit.coordinator.store.PartyRecord;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.modelzoo.federation.RecordingFederation;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.protocols.participant.v1.JobProposal;
import org.fedcredit.protocols.participant.v1.ProposalAnswer;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs jobs: asks every party to join (each checks its own policy), then starts step k on every
 * party, waits until all have finished it, and goes on; writes every transition and event to the
 * store, so watchers and a restarted coordinator see the whole history.
 *
 * <p>Failure is loud and names the culprit: a party that refuses names its reason; a party whose
 * step fails or whose connection drops fails the job naming the party and the step; a party whose
 * heartbeats stop for {@code partyTimeout} fails the job the same way. Whenever a job ends
 * unsuccessfully every party is told to abort, so nobody waits forever.
 */
public final class JobScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CoordinatorStore store;
  private final Participants participants;
  private final LocalParty local;
  private final String self;
  private final Duration partyTimeout;
  private final Duration approvalTimeout;
  private final Clock clock;
  private final AuditTrail audit;
  private final WitnessRelay witnesses;
  private volatile String selfAddress = "";
  private volatile java.util.function.BiConsumer<String, Duration> stepTimer = (s, d) -> {};
  private final ExecutorService jobs = Executors.newCachedThreadPool(r -> daemon(r, "job"));
  private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();
  private final Map<String, String> cancelled = new ConcurrentHashMap<>();
  private final Map<String, Map<String, PartyDecision.Decision>> decisions =
      new ConcurrentHashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();

  public JobScheduler(
      CoordinatorStore store,
      Participants participants,
      LocalParty local,
      String self,
      Duration partyTimeout,
      Duration approvalTimeout,
      Clock clock,
      AuditTrail audit) {
    this.audit = audit;
    this.witnesses = new WitnessRelay(audit.log(), store);
    this.store = store;
    this.participants = participants;
    this.local = local;
    this.self = self;
    this.partyTimeout = partyTimeout;
    this.approvalTimeout = approvalTimeout;
    this.clock = clock;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** What this scheduler writes to the transparency log. */
  AuditTrail audit() {
    return audit;
  }

  /** Hears the wall time of every completed step (for the metrics endpoint). */
  public void onStepTimed(java.util.function.BiConsumer<String, Duration> timer) {
    this.stepTimer = timer;
  }

  /**
   * An RFC 6962 consistency proof between two sizes of the audit log, for a witnessing node.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize <= size}
   */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    return witnesses.consistencyProof(oldSize, newSize);
  }

  /** Where the coordinator's own federation endpoint listens (host:port), told to every party. */
  public void advertise(String address) {
    this.selfAddress = address;
  }

  /**
   * Jobs that were in flight when the coordinator stopped cannot resume (their parties' state is
   * gone); they are marked failed with that reason, and their history stays.
   */
  public void failInterruptedJobs() {
    for (JobRecord j : store.jobs()) {
      if (!j.state().isTerminal()) {
        String where = j.currentStep().map(s -> " during step " + s.name()).orElse("");
        store.transition(
            j.jobId(),
            JobTransition.to(
                JobState.FAILED,
                "the coordinator restarted while the job was "
                    + j.state().name().toLowerCase()
                    + where
                    + "; resubmit it"));
      }
    }
  }

  private final Map<String, String> lastProgress = new ConcurrentHashMap<>();

  /**
   * A party's progress on a running step (from its heartbeat, e.g. "tree 3/50"): recorded as a
   * progress event when it changed, so watchers see long steps advance.
   */
  public void progressReport(String jobId, String party, String step, String progress) {
    Optional<JobRecord> j = store.job(jobId);
    if (j.isEmpty() || j.get().state() != JobState.RUNNING) {
      return;
    }
    if (!progress.equals(lastProgress.put(jobId + "/" + party, progress))) {
      event(
          jobId,
          JobEventDraft.of(JobEventKind.PROGRESS, party + ": " + progress)
              .withParty(party)
              .withStep(step));
    }
  }

  /** Records that {@code party} is alive. */
  public void heartbeat(String party) {
    Instant now = clock.instant();
    heartbeats.put(party, now);
    store.heartbeat(party, now);
  }

  /**
   * Validates and stores a job, then runs it in the background.
   *
   * @throws JobSpecException with a message for the submitter if the spec cannot run here
   */
  public JobRecord submit(String submitter, String specYaml) {
    JobSpec spec = parse(specYaml);
    if (!spec.coordinator().equals(self)) {
      throw new JobSpecException(
          "coordinator: the spec names '"
              + spec.coordinator()
              + "' but this coordinator is '"
              + self
              + "'");
    }
    if (!spec.labelParty().name().equals(submitter)) {
      throw new JobSpecException(
          "label_party: only the label party may submit its job; the spec names '"
              + spec.labelParty().name()
              + "' but the caller is '"
              + submitter
              + "'");
    }
    List<String> parties = new ArrayList<>();
    for (JobSpec.PartySpec p : spec.parties()) {
      Optional<PartyRecord> r = store.party(p.name());
      if (r.isEmpty()) {
        throw new JobSpecException(
            "parties."
                + p.name()
                + ": no such party has registered with this coordinator; start its node first");
      }
      parties.add(p.name());
    }
    Instant now = clock.instant();
    JobRecord job =
        store.createJob(
            new JobSubmission(
                JobSubmission.newJobId(now),
                spec.job(),
                spec.algorithm(),
                submitter,
                specYaml,
                parties));
    audit.jobSubmitted(job, spec);
    jobs.submit(() -> run(job.jobId(), spec));
    return job;
  }

  /** Asks for a job to stop; it ends as cancelled with every party told to abort. */
  public JobRecord cancel(String jobId, String by) {
    JobRecord j = store.job(jobId).orElseThrow(() -> new JobSpecException("no job " + jobId));
    if (j.state().isTerminal()) {
      return j;
    }
    cancelled.put(jobId, "cancelled by " + by);
    synchronized (this) {
      notifyAll();
    }
    return j;
  }

  /** A node's manual decision on a pending job. */
  public void decide(String jobId, String party, boolean accept, String reason) {
    Map<String, PartyDecision.Decision> d = decisions.get(jobId);
    if (d == null || !d.containsKey(party)) {
      throw new JobSpecException(party + " was not asked to decide on job " + jobId);
    }
    if (!accept) {
      refusals.put(
          jobId + "/" + party, reason == null || reason.isBlank() ? "no reason given" : reason);
    }
    d.put(party, accept ? PartyDecision.Decision.ACCEPTED : PartyDecision.Decision.REJECTED);
    audit.partyDecision(
        jobId,
        parse(store.job(jobId).orElseThrow().specYaml()),
        party,
        accept ? PartyDecision.Decision.ACCEPTED : PartyDecision.Decision.REJECTED,
        accept ? "accepted manually" : reason);
    store.recordDecision(
        jobId,
        party,
        accept ? PartyDecision.Decision.ACCEPTED : PartyDecision.Decision.REJECTED,
        Optional.ofNullable(reason).filter(r -> !r.isBlank()));
    synchronized (this) {
      notifyAll();
    }
  }

  private static JobSpec parse(String yaml) {
    Object tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new JobSpecException(
          "line "
              + e.getLocation().getLineNr()
              + ":"
              + e.getLocation().getColumnNr()
              + ": not valid YAML: "
              + e.getOriginalMessage());
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new JobSpecException("the job spec must be a YAML mapping");
    }
    return JobSpec.fromMap(map);
  }

  private void run(String jobId, JobSpec spec) {
    MDC.put("job", jobId);
    List<String> parties = spec.parties().stream().map(JobSpec.PartySpec::name).toList();
    Map<String, String> addresses = new TreeMap<>();
    try {
      for (String p : parties) {
        addresses.put(p, store.party(p).orElseThrow().address());
      }
      addresses.put(self, selfAddress);
      if (!approve(jobId, spec, parties, addresses)) {
        return;
      }
      local.open(jobId, spec, addresses, (step, msg) -> progress(jobId, step, msg));
      Map<String, Map<String, Object>> evaluate = Map.of();
      Map<String, String> shards = new TreeMap<>();
      int k = 0;
      for (String step : VerticalJobParty.STEPS) {
        store.transition(
            jobId,
            JobTransition.to(
                    JobState.RUNNING,
                    "step " + (k + 1) + "/" + VerticalJobParty.STEPS.size() + ": " + step)
                .atStep(step, k));
        Instant stepStart = clock.instant();
        Map<String, Map<String, Object>> reports = runStep(jobId, step, k, parties, addresses);
        stepTimer.accept(step, Duration.between(stepStart, clock.instant()));
        List<Map<String, Object>> rounds = new ArrayList<>(local.cryptoRounds(jobId, step));
        for (var e : reports.entrySet()) {
          // A key-holding party's own rounds (SecureBoost's bank): logged, not kept in the event.
          if (e.getValue().get(RecordingFederation.REPORT_KEY) instanceof List<?> reported) {
            Map<String, Object> rest = new LinkedHashMap<>(e.getValue());
            rest.remove(RecordingFederation.REPORT_KEY);
            e.setValue(rest);
            for (Object r : reported) {
              if (r instanceof Map<?, ?> m) {
                Map<String, Object> round = new LinkedHashMap<>();
                m.forEach((key, v) -> round.put(String.valueOf(key), v));
                round.put("reported_by", e.getKey());
                rounds.add(round);
              }
            }
          }
        }
        audit.stepFinished(jobId, step, parties, reports, rounds);
        for (var e : reports.entrySet()) {
          event(
              jobId,
              JobEventDraft.of(JobEventKind.STEP_FINISHED, e.getKey() + " finished " + step)
                  .withParty(e.getKey())
                  .withStep(step)
                  .withDetail(JSON.writeValueAsString(e.getValue())));
          if (step.equals("publish") && e.getValue().get("shard_sha256") instanceof String h) {
            shards.put(e.getKey(), h);
          }
        }
        if (step.equals("evaluate")) {
          evaluate = reports;
        }
        k++;
      }
      Object metrics = evaluate.getOrDefault(spec.labelParty().name(), Map.of()).get("metrics");
      ModelRecord model =
          new ModelRecord(
              jobId,
              1,
              clock.instant(),
              JSON.writeValueAsString(metrics == null ? Map.of() : metrics),
              new TreeMap<>(shards));
      store.registerModel(model);
      audit.modelPublished(model);
      audit.jobEnded(jobId, JobState.SUCCEEDED, "model registered");
      finalWitness(jobId, parties, addresses);
      store.transition(
          jobId, JobTransition.to(JobState.SUCCEEDED, "model registered").from(JobState.RUNNING));
    } catch (JobFailure f) {
      end(jobId, f.state, f.getMessage(), parties, addresses);
    } catch (RuntimeException | JsonProcessingException e) {
      LOG.error("job {} failed in the coordinator", jobId, e);
      end(jobId, JobState.FAILED, "coordinator error: " + e.getMessage(), parties, addresses);
    } finally {
      local.close(jobId);
      decisions.remove(jobId);
      cancelled.remove(jobId);
      refusals.keySet().removeIf(k -> k.startsWith(jobId + "/"));
      lastProgress.keySet().removeIf(k -> k.startsWith(jobId + "/"));
      witnesses.forget(jobId);
      MDC.remove("job");
    }
  }

  /**
   * After the last step: every party witnesses the log once more, so the job's last entries (the
   * model's release, the job's end) are cosigned before it is reported as succeeded. A party that
   * refuses the checkpoint fails the job, as it would a step.
   */
  private void finalWitness(String jobId, List<String> parties, Map<String, String> addresses)
      throws JobFailure {
    SignedCheckpoint cp = witnesses.checkpoint();
    StepRequest req =
        StepRequest.newBuilder()
            .setJobId(jobId)
            .setStep("witness")
            .setIndex(VerticalJobParty.STEPS.size())
            .build();
    Map<String, CompletableFuture<StepResult>> asked = new LinkedHashMap<>();
    for (String p : parties) {
      asked.put(
          p,
          participants.witness(
              p, addresses.get(p), witnesses.requestFor(req, jobId, p, parties, cp)));
    }
    for (var e : asked.entrySet()) {
      StepResult r;
      try {
        r = e.getValue().get(90, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException ex) {
        throw new JobFailure(
            JobState.FAILED,
            e.getKey()
                + " failed to witness the audit log at the job's end: "
                + describe(ex.getCause()));
      } catch (java.util.concurrent.TimeoutException ex) {
        throw new JobFailure(
            JobState.FAILED, e.getKey() + " did not witness the audit log within 90 s");
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new JobFailure(JobState.FAILED, "the coordinator is shutting down");
      }
      Optional<String> bad = witnesses.accept(jobId, e.getKey(), cp, r);
      if (bad.isPresent()) {
        throw new JobFailure(
            JobState.FAILED,
            e.getKey() + " returned an unusable cosignature at the job's end: " + bad.get());
      }
    }
  }

  /** Proposes the job to every party; true when all accepted. */
  private boolean approve(
      String jobId, JobSpec spec, List<String> parties, Map<String, String> addresses)
      throws JobFailure {
    Map<String, PartyDecision.Decision> d = new ConcurrentHashMap<>();
    decisions.put(jobId, d);
    String yaml = store.job(jobId).orElseThrow().specYaml();
    JobProposal proposal =
        JobProposal.newBuilder()
            .setJobId(jobId)
            .setSpecYaml(yaml)
            .setRequester(spec.labelParty().name())
            .putAllAddresses(addresses)
            .build();
    for (String p : parties) {
      ProposalAnswer a;
      try {
        a = participants.propose(p, addresses.get(p), proposal);
      } catch (StatusRuntimeException e) {
        throw new JobFailure(JobState.FAILED, p + " could not be asked to join: " + describe(e));
      }
      switch (a.getVerdict()) {
        case ACCEPTED -> {
          d.put(p, PartyDecision.Decision.ACCEPTED);
          audit.partyDecision(
              jobId,
              spec,
              p,
              PartyDecision.Decision.ACCEPTED,
              a.getReason().isBlank() ? "accepted by its policy" : a.getReason());
          store.recordDecision(jobId, p, PartyDecision.Decision.ACCEPTED, Optional.empty());
        }
        case PENDING -> {
          d.put(p, PartyDecision.Decision.PENDING);
          event(
              jobId,
              JobEventDraft.of(
                      JobEventKind.PROGRESS,
                      p + " will decide manually (fedcredit node approve " + jobId + ")")
                  .withParty(p));
        }
        default -> {
          d.put(p, PartyDecision.Decision.REJECTED);
          audit.partyDecision(jobId, spec, p, PartyDecision.Decision.REJECTED, a.getReason());
          store.recordDecision(
              jobId, p, PartyDecision.Decision.REJECTED, Optional.of(a.getReason()));
          throw new JobFailure(JobState.REJECTED, p + " rejected the job: " + a.getReason());
        }
      }
    }
    Instant deadline = clock.instant().plus(approvalTimeout);
    synchronized (this) {
      while (d.containsValue(PartyDecision.Decision.PENDING)) {
        checkCancelled(jobId);
        if (d.containsValue(PartyDecision.Decision.REJECTED)) {
          break;
        }
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
          List<String> waiting =
              d.entrySet().stream()
                  .filter(e -> e.getValue() == PartyDecision.Decision.PENDING)
                  .map(Map.Entry::getKey)
                  .toList();
          throw new JobFailure(
              JobState.REJECTED,
              "no decision from " + waiting + " within " + approvalTimeout.toSeconds() + " s");
        }
        try {
          wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JobFailure(JobState.FAILED, "the coordinator is shutting down");
        }
      }
    }
    for (var e : d.entrySet()) {
      if (e.getValue() == PartyDecision.Decision.REJECTED) {
        throw new JobFailure(
            JobState.REJECTED,
            e.getKey()
                + " rejected the job: "
                + refusals.getOrDefault(jobId + "/" + e.getKey(), "no reason given"));
      }
    }
    store.transition(
        jobId,
        JobTransition.to(JobState.APPROVED, "every party accepted").from(JobState.SUBMITTED));
    return true;
  }

  private Map<String, Map<String, Object>> runStep(
      String jobId, String step, int k, List<String> parties, Map<String, String> addresses)
      throws JobFailure {
    Map<String, CompletableFuture<Map<String, Object>>> running = new LinkedHashMap<>();
    StepRequest req = StepRequest.newBuilder().setJobId(jobId).setStep(step).setIndex(k).build();
    SignedCheckpoint cp = witnesses.checkpoint();
    Map<String, StepResult> results = new ConcurrentHashMap<>();
    for (String p : parties) {
      running.put(
          p,
          participants
              .startStep(p, addresses.get(p), witnesses.requestFor(req, jobId, p, parties, cp))
              .thenApply(
                  r -> {
                    results.put(p, r);
                    return detail(r);
                  }));
    }
    running.put(self, CompletableFuture.supplyAsync(() -> local.runStep(jobId, step), jobs));
    Instant started = clock.instant();
    for (String p : parties) {
      heartbeats.putIfAbsent(p, started);
    }
    while (true) {
      checkCancelled(jobId);
      boolean allDone = true;
      for (var e : running.entrySet()) {
        CompletableFuture<Map<String, Object>> f = e.getValue();
        if (!f.isDone()) {
          allDone = false;
        } else if (f.isCompletedExceptionally()) {
          throw new JobFailure(JobState.FAILED, failureOf(e.getKey(), step, running));
        }
      }
      if (allDone) {
        for (String p : parties) {
          Optional<String> bad = witnesses.accept(jobId, p, cp, results.get(p));
          if (bad.isPresent()) {
            throw new JobFailure(
                JobState.FAILED,
                p + " returned an unusable cosignature in step " + step + ": " + bad.get());
          }
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        running.forEach((p, f) -> out.put(p, f.join()));
        return out;
      }
      Instant now = clock.instant();
      for (String p : parties) {
        Instant last = heartbeats.getOrDefault(p, started);
        Instant since = last.isAfter(started) ? last : started;
        if (Duration.between(since, now).compareTo(partyTimeout) > 0 && !running.get(p).isDone()) {
          throw new JobFailure(
              JobState.FAILED,
              p
                  + " stopped answering during step "
                  + step
                  + " (no heartbeat for "
                  + Duration.between(since, now).toSeconds()
                  + " s; timeout "
                  + partyTimeout.toSeconds()
                  + " s)");
        }
      }
      synchronized (this) {
        try {
          wait(200);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new JobFailure(JobState.FAILED, "the coordinator is shutting down");
        }
      }
    }
  }

  /**
   * Names the party whose failure caused the step to fail. When one party drops, the others fail
   * soon after because they were waiting for it; a lost connection or a party's own error is the
   * cause, a peer's "waited for ..." error is a consequence.
   */
  private static String failureOf(
      String first, String step, Map<String, CompletableFuture<Map<String, Object>>> running) {
    try {
      Thread.sleep(300); // let near-simultaneous failures arrive so the root cause can be chosen
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String best = null;
    for (var e : running.entrySet()) {
      if (e.getValue().isCompletedExceptionally()) {
        Throwable t = cause(e.getValue());
        String line = e.getKey() + " failed in step " + step + ": " + describe(t);
        if (best == null || !isConsequence(line) && isConsequence(best)) {
          best = line;
        }
      }
    }
    return best == null ? first + " failed in step " + step : best;
  }

  /** A peer's failure caused by waiting for the failed party, not a root cause. */
  private static boolean isConsequence(String line) {
    return line.contains("waited for") || line.contains("which failed") || line.contains("aborted");
  }

  private static Throwable cause(CompletableFuture<?> f) {
    try {
      f.join();
      return new IllegalStateException("not failed");
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      Status st = s.getStatus();
      if (st.getCode() == Status.Code.UNAVAILABLE) {
        return "the node is unreachable or its process ended (" + st.getDescription() + ")";
      }
      return st.getDescription() == null ? st.getCode().toString() : st.getDescription();
    }
    return String.valueOf(t.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> detail(StepResult r) {
    try {
      return r.getDetailJson().isEmpty() ? Map.of() : JSON.readValue(r.getDetailJson(), Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("step result of " + r.getStep() + " is not JSON", e);
    }
  }

  private void checkCancelled(String jobId) throws JobFailure {
    String by = cancelled.get(jobId);
    if (by != null) {
      throw new JobFailure(JobState.CANCELLED, by);
    }
  }

  private void end(
      String jobId,
      JobState state,
      String message,
      List<String> parties,
      Map<String, String> addresses) {
    LOG.warn("job {} {}: {}", jobId, state.name().toLowerCase(), message);
    for (String p : parties) {
      String a = addresses.get(p);
      if (a != null) {
        jobs.submit(() -> participants.abort(p, a, jobId, message));
      }
    }
    local.abort(jobId, message);
    try {
      store.transition(jobId, JobTransition.to(state, message));
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of job {}: {}", jobId, e.getMessage());
    }
    audit.jobEnded(jobId, state, message);
  }

  private void progress(String jobId, String step, String message) {
    event(jobId, JobEventDraft.of(JobEventKind.PROGRESS, message).withStep(step));
  }

  private void event(String jobId, JobEventDraft draft) {
    store.appendEvent(jobId, draft);
  }

  @Override
  public void close() {
    jobs.shutdownNow();
    try {
      jobs.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends a job with a state and a message for the watchers. */
  private static final class JobFailure extends Exception {
    final JobState state;

    JobFailure(JobState state, String message) {
      super(message);
      this.state = state;
    }
  }
}
