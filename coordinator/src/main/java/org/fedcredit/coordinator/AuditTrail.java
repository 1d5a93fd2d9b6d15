package org.fedcredit.coordinator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.JobRecord;
import org.fedcredit.coordinator.store.JobState;
import org.fedcredit.coordinator.store.ModelRecord;
import org.fedcredit.coordinator.store.PartyDecision;
import org.fedcredit.coordinator.store.PartyRecord;
import org.fedcredit.modelzoo.federation.RecordingFederation;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.protocols.coordinator.v1.DecisionDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler writes to the transparency log while it runs a job: the submission with its
 * spec, each party's decision with its reason and columns, PSI counts, every round the coordinator
 * computed under encryption (effective parameters and ciphertext hashes, as {@link
 * RecordingFederation} saw them), the published model's shard hashes and the job's end; a signed
 * checkpoint after each. The entry fields are documented in {@code
 * docs/protocols/transparency-log.md}.
 */
final class AuditTrail {

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditLog log;
  private final CoordinatorStore store;
  private final Clock clock;

  AuditTrail(AuditLog log, CoordinatorStore store, Clock clock) {
    this.log = log;
    this.store = store;
    this.clock = clock;
  }

  AuditLog log() {
    return log;
  }

  /** {@code job-submitted}: who asked for what, with the spec as submitted and its hash. */
  void jobSubmitted(JobRecord job, JobSpec spec) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", job.name());
    f.put("algorithm", job.algorithm());
    f.put("submitter", job.submitter());
    f.put("parties", spec.parties().stream().map(JobSpec.PartySpec::name).toList());
    f.put("label_party", spec.labelParty().name());
    f.put(
        "spec_sha256", RecordingFederation.sha256(job.specYaml().getBytes(StandardCharsets.UTF_8)));
    f.put("spec", job.specYaml());
    append("job-submitted", job.jobId(), f);
  }

  /** {@code party-decision}: a party accepted or refused, why, and which of its columns. */
  void partyDecision(
      String jobId, JobSpec spec, String party, PartyDecision.Decision d, String reason) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("party", party);
    f.put("decision", d.name().toLowerCase());
    f.put("reason", reason == null || reason.isBlank() ? d.name().toLowerCase() : reason);
    JobSpec.PartySpec p = spec.byName().get(party);
    if (p != null) {
      f.put("columns", p.columns());
      f.put("dataset", p.dataset());
    }
    f.put("certificate_sha256", certificate(party));
    append("party-decision", jobId, f);
  }

  /**
   * After a step: {@code psi-completed} with each party's counts after PSI, and one {@code
   * crypto-round} per round the coordinator computed in it.
   */
  void stepFinished(
      String jobId,
      String step,
      List<String> parties,
      Map<String, Map<String, Object>> reports,
      List<Map<String, Object>> rounds) {
    List<AuditEntry> entries = new ArrayList<>();
    if (step.equals("psi")) {
      Map<String, Object> counts = new TreeMap<>();
      for (String p : parties) {
        Map<String, Object> r = reports.getOrDefault(p, Map.of());
        Map<String, Object> c = new TreeMap<>();
        for (String k : List.of("aligned_rows", "input_rows", "rows_without_consent")) {
          if (r.get(k) != null) {
            c.put(k, r.get(k));
          }
        }
        counts.put(p, c);
      }
      entries.add(
          AuditEntry.ofJob("psi-completed", jobId, clock.instant(), Map.of("parties", counts)));
    }
    Map<String, Object> participants = new TreeMap<>();
    for (String p : parties) {
      participants.put(p, certificate(p));
    }
    for (Map<String, Object> r : rounds) {
      Map<String, Object> f = new LinkedHashMap<>(r);
      f.put("participants", participants);
      entries.add(AuditEntry.ofJob("crypto-round", jobId, clock.instant(), f));
    }
    if (!entries.isEmpty()) {
      log.appendAll(entries);
      log.checkpoint();
    }
  }

  /** {@code model-published}: the model version and the SHA-256 of every party's shard. */
  long modelPublished(ModelRecord m) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("model", m.jobId() + "/v" + m.version());
    f.put("version", m.version());
    f.put("shard_sha256", new TreeMap<>(m.shardSha256()));
    f.put("metrics_json", m.metricsJson());
    return append("model-published", m.jobId(), f);
  }

  /**
   * {@code decision-served}, one per decision the label party's node served: the model (job and
   * version, and the index of its {@code model-published} entry when this coordinator published
   * it), the SHA-256 of the decision record as issued, and when. No applicant data. A decision
   * already in the log (same hash; a node resending after a restart) is not appended again. Returns
   * each decision's entry index, in the order given.
   */
  synchronized List<Long> decisionsServed(
      String node,
      List<DecisionDigest> decisions,
      java.util.function.Function<DecisionDigest, java.util.Optional<Long>> modelEntry) {
    java.util.Set<String> hashes = new java.util.LinkedHashSet<>();
    decisions.forEach(d -> hashes.add(d.getDecisionSha256()));
    Map<String, Long> known = new java.util.HashMap<>(log.decisionIndices(hashes));
    List<AuditEntry> entries = new ArrayList<>();
    java.util.Set<String> added = new java.util.LinkedHashSet<>();
    for (DecisionDigest d : decisions) {
      if (known.containsKey(d.getDecisionSha256()) || added.contains(d.getDecisionSha256())) {
        continue;
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("node", node);
      f.put("model_job", d.getModelJob());
      f.put("model_version", d.getModelVersion());
      modelEntry.apply(d).ifPresent(i -> f.put("model_entry", i));
      f.put("decision_sha256", d.getDecisionSha256());
      f.put("decided_at", java.time.Instant.ofEpochMilli(d.getDecidedAtMs()).toString());
      entries.add(
          new AuditEntry(AuditLog.DECISION_SERVED, java.util.Optional.empty(), clock.instant(), f));
      added.add(d.getDecisionSha256());
    }
    if (!entries.isEmpty()) {
      long first = log.appendAll(entries);
      long i = first;
      for (String h : added) {
        known.put(h, i++);
      }
      log.checkpoint();
    }
    List<Long> out = new ArrayList<>();
    decisions.forEach(d -> out.add(known.get(d.getDecisionSha256())));
    return out;
  }

  /** The index of the {@code model-published} entry of {@code jobId}'s model, if any. */
  java.util.Optional<Long> modelEntry(String jobId) {
    List<Long> i = log.indicesOfJob(jobId, java.util.Optional.of("model-published"));
    return i.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(i.get(i.size() - 1));
  }

  /** {@code job-ended}: the final state and its message. Never fails the caller. */
  void jobEnded(String jobId, JobState state, String message) {
    try {
      append("job-ended", jobId, Map.of("state", state.name().toLowerCase(), "message", message));
    } catch (RuntimeException e) {
      LOG.error("cannot write the end of job {} to the audit log: {}", jobId, e.getMessage());
    }
  }

  private long append(String type, String jobId, Map<String, Object> fields) {
    long i = log.append(AuditEntry.ofJob(type, jobId, clock.instant(), fields));
    log.checkpoint();
    return i;
  }

  private String certificate(String party) {
    return store.party(party).map(PartyRecord::certificateSha256).orElse("unregistered");
  }
}
