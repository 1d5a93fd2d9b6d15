package org.fedcredit.participantnode.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.modelzoo.job.SecureBoostLabelProgram;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.modelzoo.job.VerticalJobs;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.policy.ColumnPolicy;
import org.fedcredit.participantnode.policy.ConsentRegistry;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.transport.grpc.JobAuthorizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The jobs a participant node was asked to join: admission by the node's own policy, the steps it
 * runs, and which federation messages it takes. A node takes messages only for jobs it accepted,
 * only from that job's parties, and never for a finished job (the finished list survives restarts,
 * so a replayed message stays refused).
 */
public final class NodeJobs implements JobAuthorizer {

  private static final Logger LOG = LoggerFactory.getLogger(NodeJobs.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the node brings to every job. */
  public record Context(
      PartyId self,
      PartyId coordinator,
      Path configDir,
      Path workDir,
      Map<String, DataSource> datasets,
      ColumnPolicy policy,
      Optional<ConsentRegistry> consent,
      JobFederations federations,
      PaillierEngine.Options engine,
      boolean allowPlaintextCrypto,
      java.util.function.BiConsumer<String, java.time.Duration> stepTimer) {}

  /** A refusal to do what was asked, with the reason for the caller. */
  public static final class RefusedException extends RuntimeException {
    public RefusedException(String message) {
      super(message);
    }
  }

  /** The node's answer to a proposal. */
  public record Answer(Verdict verdict, String reason) {
    public enum Verdict {
      ACCEPTED,
      REJECTED,
      PENDING
    }
  }

  private final Context ctx;
  private final Map<String, NodeJob> jobs = new ConcurrentHashMap<>();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final Path finishedFile;

  public NodeJobs(Context ctx) {
    this.ctx = ctx;
    this.finishedFile = ctx.workDir().resolve("jobs").resolve("finished.txt");
    try {
      Files.createDirectories(finishedFile.getParent());
      if (Files.exists(finishedFile)) {
        for (String line : Files.readAllLines(finishedFile, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            finished.add(line.strip());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot use the work directory " + ctx.workDir() + ": " + e.getMessage(), e);
    }
  }

  /** Decides whether to join a job: checks the node's policy and that its data can serve it. */
  public Answer propose(
      PartyId caller,
      String jobId,
      String specYaml,
      PartyId requester,
      Map<PartyId, String> addresses) {
    if (!caller.equals(ctx.coordinator())) {
      throw new RefusedException(
          "only the coordinator (" + ctx.coordinator() + ") may propose jobs; caller is " + caller);
    }
    if (finished.contains(jobId) || jobs.containsKey(jobId)) {
      return new Answer(
          Answer.Verdict.REJECTED, "job " + jobId + " was already proposed to " + ctx.self());
    }
    JobSpec spec;
    try {
      spec = parse(specYaml);
    } catch (JobSpecException e) {
      return reject(jobId, "the job spec is invalid: " + e.getMessage());
    }
    Optional<JobSpec.PartySpec> mine =
        spec.parties().stream().filter(p -> p.name().equals(ctx.self().name())).findFirst();
    if (mine.isEmpty()) {
      return reject(jobId, ctx.self() + " is not a party of job " + spec.job());
    }
    if (!spec.coordinator().equals(ctx.coordinator().name())) {
      return reject(
          jobId,
          "the job names coordinator '"
              + spec.coordinator()
              + "', this node works with '"
              + ctx.coordinator()
              + "'");
    }
    if ((spec.algorithm().equals("secureboost") ? spec.boost().crypto() : spec.train().crypto())
            == CryptoMode.PLAINTEXT_INSECURE
        && !ctx.allowPlaintextCrypto()) {
      return reject(
          jobId,
          "crypto: plaintext-insecure is refused by "
              + ctx.self()
              + " (only a node started with --insecure-dev takes unencrypted jobs)");
    }
    JobSpec.PartySpec p = mine.get();
    DataSource source = ctx.datasets().get(p.dataset());
    if (source == null) {
      return reject(
          jobId,
          "dataset '"
              + p.dataset()
              + "' is not defined at "
              + ctx.self()
              + "; it has "
              + new TreeMap<>(ctx.datasets()).keySet());
    }
    List<String> requested = p.columns();
    ColumnPolicy.Decision d =
        ctx.policy().evaluate(requester, spec.purpose(), p.dataset(), requested);
    if (d instanceof ColumnPolicy.Rejected r) {
      return reject(jobId, r.reason());
    }
    LocalTable table;
    List<String> columns;
    try {
      table = source.load();
      columns = modelColumns(table, source, requested);
    } catch (RuntimeException e) {
      return reject(
          jobId, "cannot serve the job from dataset '" + p.dataset() + "': " + e.getMessage());
    }
    boolean manual = ((ColumnPolicy.Accepted) d).approval() == ColumnPolicy.Approval.MANUAL;
    NodeJob job =
        new NodeJob(
            jobId,
            spec,
            specYaml,
            requester,
            addresses,
            table.project(columns),
            columns,
            manual ? NodeJob.State.PENDING : NodeJob.State.ACCEPTED);
    jobs.put(jobId, job);
    LOG.info(
        "job {} {} ({} columns of dataset {})",
        jobId,
        manual ? "awaits manual approval" : "accepted",
        columns.size(),
        p.dataset());
    return manual
        ? new Answer(
            Answer.Verdict.PENDING, "waiting for the operator: fedcredit node approve " + jobId)
        : new Answer(Answer.Verdict.ACCEPTED, "");
  }

  private Answer reject(String jobId, String reason) {
    LOG.warn("job {} rejected: {}", jobId, reason);
    return new Answer(Answer.Verdict.REJECTED, reason);
  }

  /**
   * The table columns the job may use: every feature column whose source column was requested (a
   * categorical column {@code region} stands for its indicators {@code region=...}).
   */
  private static List<String> modelColumns(
      LocalTable t, DataSource source, List<String> requested) {
    Set<String> categorical = source.spec().categorical();
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String f : t.featureNames()) {
      int k = f.indexOf('=');
      String src = k > 0 && categorical.contains(f.substring(0, k)) ? f.substring(0, k) : f;
      if (requested.contains(src)) {
        out.add(f);
        seen.add(src);
      }
    }
    for (String r : requested) {
      if (!seen.contains(r)) {
        throw new JobSpecException(
            "column '" + r + "' is not in the dataset; it has " + t.featureNames());
      }
    }
    return out;
  }

  /** The operator's decision on a pending job. */
  public Answer approve(String jobId, boolean accept, String reason) {
    NodeJob job = jobs.get(jobId);
    if (job == null) {
      throw new RefusedException("no job " + jobId + " is waiting at " + ctx.self());
    }
    if (job.state != NodeJob.State.PENDING) {
      throw new RefusedException(
          "job "
              + jobId
              + " is not waiting for approval (it is "
              + job.state.name().toLowerCase()
              + ")");
    }
    if (accept) {
      job.state = NodeJob.State.ACCEPTED;
      return new Answer(Answer.Verdict.ACCEPTED, reason);
    }
    finish(job, "rejected by the operator: " + reason);
    return new Answer(Answer.Verdict.REJECTED, reason);
  }

  /** Runs one step of an accepted job and returns its report as JSON. Blocks until done. */
  @SuppressWarnings("unchecked")
  public String runStep(PartyId caller, String jobId, String step) {
    if (!caller.equals(ctx.coordinator())) {
      throw new RefusedException("only the coordinator may start steps; caller is " + caller);
    }
    NodeJob job = jobs.get(jobId);
    if (job == null || job.state == NodeJob.State.FINISHED || finished.contains(jobId)) {
      throw new RefusedException(
          "job "
              + jobId
              + " is not running at "
              + ctx.self()
              + (job != null && !job.finishReason.isEmpty() ? " (" + job.finishReason + ")" : ""));
    }
    if (job.state != NodeJob.State.ACCEPTED) {
      throw new RefusedException("job " + jobId + " has not been approved at " + ctx.self());
    }
    MDC.put("job", jobId);
    MDC.put("party", ctx.self().name());
    synchronized (job) {
      job.runningStep = Thread.currentThread();
      job.step = step;
      try {
        if (job.program == null) {
          open(job);
        }
        long t0 = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>(job.program.runStep(step, job.federation));
        if (job.recorder != null) {
          List<Map<String, Object>> rounds =
              job.recorder.auditRounds(
                  step,
                  job.spec.algorithm(),
                  "key holder: decrypts the feature parties' packed histogram sums",
                  report.get("crypto") instanceof Map<?, ?> c
                      ? new TreeMap<String, Object>((Map<String, Object>) (Map<?, ?>) c)
                      : Map.of(),
                  Optional.empty());
          if (step.equals("train") && !rounds.isEmpty()) {
            report.put(org.fedcredit.modelzoo.federation.RecordingFederation.REPORT_KEY, rounds);
          }
        }
        if (step.equals("publish")) {
          report = publish(job, report);
          if (job.federationHandle instanceof JobFederations.Opened o) {
            report.put("bytes_sent", o.bytesSent());
          }
        }
        long nanos = System.nanoTime() - t0;
        ctx.stepTimer().accept(step, java.time.Duration.ofNanos(nanos));
        report.put("seconds", nanos / 1e9);
        if (step.equals(VerticalJobParty.STEPS.get(VerticalJobParty.STEPS.size() - 1))) {
          finish(job, null);
        }
        return JSON.writeValueAsString(report);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot report step " + step + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        LOG.error("job {} step {} failed: {}", jobId, step, e.getMessage());
        finish(job, "failed in step " + step + ": " + e.getMessage());
        throw e;
      } finally {
        job.runningStep = null;
        MDC.remove("job");
        MDC.remove("party");
      }
    }
  }

  private void open(NodeJob job) {
    JobSpec spec = job.spec;
    Optional<Predicate<String>> consent =
        ctx.consent()
            .map(
                c -> {
                  Set<String> ok = c.consenting(job.table.ids(), spec.purpose(), LocalDate.now());
                  return (Predicate<String>) ok::contains;
                });
    JobFederations.Opened opened = ctx.federations().open(job.jobId, job.addresses);
    job.federationHandle = opened;
    job.federation = opened.federation();
    if (spec.labelParty().name().equals(ctx.self().name())) {
      job.program = VerticalJobs.labelParty(spec, job.table, consent, holdout(spec), ctx.engine());
      if (job.program instanceof SecureBoostLabelProgram sb) {
        sb.onTree((t, n) -> job.progress = "tree " + (t + 1) + "/" + n);
        // The bank holds SecureBoost's key and decrypts the providers' histograms: it reports
        // its rounds (effective parameters, hashes of what it received) for the audit log.
        job.recorder = new org.fedcredit.modelzoo.federation.RecordingFederation(job.federation);
        job.federation = job.recorder;
      }
    } else {
      job.program =
          VerticalJobs.featureParty(spec, ctx.self().name(), job.table, consent, ctx.engine());
    }
  }

  private Set<String> holdout(JobSpec spec) {
    if (spec.holdoutIds().isEmpty()) {
      return Set.of();
    }
    Path file = ctx.configDir().resolve(spec.holdoutIds().get());
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JobSpecException(
          "holdout_ids: cannot read " + file + " at " + ctx.self() + ": " + e.getMessage());
    }
    if (lines.isEmpty() || !lines.get(0).strip().equals("id")) {
      throw new JobSpecException(file + ":1: the hold-out file must have the header 'id'");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String id = lines.get(i).strip();
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** Writes the party's model shard atomically and reports its SHA-256 (the shard stays here). */
  private Map<String, Object> publish(NodeJob job, Map<String, Object> shard) {
    try {
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(shard);
      Path dir = ctx.workDir().resolve("models").resolve(job.jobId);
      Files.createDirectories(dir);
      Path file = dir.resolve(ctx.self().name() + ".json");
      Path tmp = Files.createTempFile(dir, ".shard", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("shard", file.toString());
      out.put("shard_sha256", sha);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the model shard of " + job.jobId + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops a job: a running step fails, later messages of the job are refused. */
  public boolean abort(PartyId caller, String jobId, String reason) {
    if (!caller.equals(ctx.coordinator())) {
      throw new RefusedException("only the coordinator may abort jobs; caller is " + caller);
    }
    NodeJob job = jobs.get(jobId);
    if (job == null) {
      return false;
    }
    boolean running = job.runningStep != null;
    finish(job, "aborted by the coordinator: " + reason);
    return running;
  }

  /** Ends a job at this node: {@code reason} null = succeeded (pending sends are delivered). */
  private void finish(NodeJob job, String reason) {
    job.state = NodeJob.State.FINISHED;
    job.finishReason = reason == null ? "succeeded" : reason;
    if (finished.add(job.jobId)) {
      try {
        Files.writeString(
            finishedFile,
            job.jobId + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.error("cannot record that job {} finished: {}", job.jobId, e.getMessage());
      }
    }
    if (job.federationHandle instanceof JobFederations.Opened o) {
      if (reason != null) {
        o.abort(reason);
      }
      try {
        o.close();
      } catch (RuntimeException e) {
        LOG.warn("job {}: closing its federation: {}", job.jobId, e.getMessage());
      }
    }
    Thread t = job.runningStep;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  @Override
  public Decision check(String jobId, PartyId sender) {
    NodeJob job = jobs.get(jobId);
    if (job == null || job.state == NodeJob.State.PENDING) {
      return Decision.refuse(
          ctx.self() + " has not accepted job " + jobId + "; message from " + sender + " refused");
    }
    if (!job.parties.contains(sender)) {
      return Decision.refuse(
          sender
              + " is not a party of job "
              + jobId
              + " (parties: "
              + new TreeMap<>(job.addresses).keySet()
              + ")");
    }
    return Decision.accept();
  }

  @Override
  public boolean isFinished(String jobId) {
    return finished.contains(jobId);
  }

  /** Job ids by state, for the status call. */
  public Map<String, List<String>> status() {
    Map<String, List<String>> out = new TreeMap<>();
    jobs.values()
        .forEach(
            j ->
                out.computeIfAbsent(j.state.name().toLowerCase(), k -> new ArrayList<>())
                    .add(j.jobId));
    return out;
  }

  /** The job, step and progress (e.g. "tree 3/50") running now, if any (for heartbeats). */
  public Optional<String[]> running() {
    return jobs.values().stream()
        .filter(j -> j.runningStep != null)
        .findFirst()
        .map(j -> new String[] {j.jobId, j.step, j.progress});
  }

  private static JobSpec parse(String yaml) {
    try {
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
      if (!(tree instanceof Map<?, ?> map)) {
        throw new JobSpecException("the job spec must be a YAML mapping");
      }
      return JobSpec.fromMap(map);
    } catch (JsonProcessingException e) {
      throw new JobSpecException("not valid YAML: " + e.getOriginalMessage());
    }
  }
}
