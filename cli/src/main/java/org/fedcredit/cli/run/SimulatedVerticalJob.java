package org.fedcredit.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.fedcredit.cli.UserInputException;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.CoordinatorProgram;
import org.fedcredit.modelzoo.job.HoldoutScores;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.JobSpec.PartySpec;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.modelzoo.job.ScorecardFeatureProgram;
import org.fedcredit.modelzoo.job.ScorecardLabelProgram;
import org.fedcredit.modelzoo.job.StepwiseSimulation;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.modelzoo.job.VerticalJobs;
import org.fedcredit.modelzoo.lr.VerticalLogisticRegression;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataFormatException;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Runs a vertical job with every party in this process over an {@link InMemoryFederation}: each
 * party reads its own CSV, applies its column policy, aligns ids by PSI, fits its own preprocessing
 * on the training rows, and trains; the bank then scores the hold-out rows and evaluates. Every
 * message goes through the federation (counted, optionally traced), so what crosses between parties
 * is exactly what a deployment would send.
 */
public final class SimulatedVerticalJob {

  /**
   * What the run produced.
   *
   * @param holdoutScores a scorecard job's score per hold-out row, else empty
   * @param scorecardParts the points tables the parties of a scorecard job published
   * @param shards every party's published model shard ({@code fedcredit-shard/1}), by party, the
   *     bank first (the coordinator publishes none)
   */
  public record Outcome(
      Map<String, Object> report,
      List<String> holdoutIds,
      double[] holdoutProbabilities,
      Optional<double[]> holdoutScores,
      List<PartyScorecard> scorecardParts,
      Map<String, Map<String, Object>> shards) {}

  private final JobSpec spec;
  private final Path baseDir;
  private final PrintWriter progress;

  public SimulatedVerticalJob(JobSpec spec, Path baseDir, PrintWriter progress) {
    this.spec = spec;
    this.baseDir = baseDir;
    this.progress = progress;
  }

  private void say(String fmt, Object... args) {
    progress.printf(Locale.ROOT, fmt + "%n", args);
    progress.flush();
  }

  public Outcome run(Path traceDir) throws IOException {
    long start = System.nanoTime();
    PartyId bankId = PartyId.of(spec.labelParty().name());
    PartyId coordinatorId = PartyId.of(spec.coordinator());
    List<PartyId> providerIds =
        spec.featureParties().stream().map(p -> PartyId.of(p.name())).toList();

    // 1. Each party reads its own data and applies its own column policy.
    Map<PartyId, LocalTable> raw = new LinkedHashMap<>();
    Map<PartyId, Set<String>> consented = new LinkedHashMap<>();
    for (PartySpec p : spec.parties()) {
      if (p.data().isEmpty()) {
        throw new UserInputException(
            "parties." + p.name() + ".data: required with --simulate (the party's CSV file)");
      }
      Path file = baseDir.resolve(p.data());
      LocalTable t;
      try {
        t =
            CsvDataSource.read(
                file,
                new CsvDataSource.Spec(p.idColumn(), p.labelColumn(), Set.of())
                    .withCategorical(Set.copyOf(p.categorical())));
      } catch (DataFormatException e) {
        throw new UserInputException(e.getMessage());
      }
      List<String> cols = JobSpec.admittedColumns(p, t.featureNames());
      if (p.consentColumn().isPresent()) {
        double[] c = t.column(t.featureNames().indexOf(p.consentColumn().get()));
        Set<String> ok = new HashSet<>();
        for (int i = 0; i < c.length; i++) {
          if (c[i] == 1.0) {
            ok.add(t.ids().get(i));
          }
        }
        consented.put(PartyId.of(p.name()), ok);
      }
      raw.put(PartyId.of(p.name()), t.project(cols));
      say("[data] %s: %,d rows, %d columns from %s", p.name(), t.rows(), cols.size(), file);
    }

    Set<PartyId> all =
        VerticalLogisticRegression.parties(
            bankId, new java.util.LinkedHashSet<>(providerIds), coordinatorId);
    InMemoryFederation fed = new InMemoryFederation(all);
    if (traceDir != null) {
      fed.observe(new MessageTrace(traceDir));
    }

    // 2. The same per-party programs the nodes run, step by step, over the in-memory federation.
    PaillierEngine.Options engine = PaillierEngine.Options.defaults();
    long trainStart[] = {System.nanoTime()};
    VerticalJobParty bank =
        VerticalJobs.labelParty(
            spec, raw.get(bankId), consent(consented.get(bankId)), readHoldout(), engine);
    if (bank instanceof org.fedcredit.modelzoo.job.SecureBoostLabelProgram sb) {
      sb.onTree((t, n) -> say("[train] tree %d/%d (%.0f s)", t + 1, n, seconds(trainStart[0])));
    }
    CoordinatorProgram coordinator =
        VerticalJobs.coordinator(
            spec,
            engine,
            (epoch, loss, stop) ->
                say(
                    "[train] epoch %d: mean Taylor loss %.6f (%.0f s)%s",
                    epoch + 1, loss, seconds(trainStart[0]), stop ? " - stop" : ""));
    Map<PartyId, VerticalJobParty> programs = new LinkedHashMap<>();
    programs.put(bankId, bank);
    for (PartyId p : providerIds) {
      programs.put(
          p,
          VerticalJobs.featureParty(spec, p.name(), raw.get(p), consent(consented.get(p)), engine));
    }
    programs.put(coordinatorId, coordinator);
    Map<String, Double> stepSeconds = new LinkedHashMap<>();
    long[] stepStart = {System.nanoTime()};
    Map<String, Map<PartyId, Map<String, Object>>> steps;
    try {
      steps =
          StepwiseSimulation.run(
              programs,
              fed,
              (k, step, reports) -> {
                stepSeconds.put(step, seconds(stepStart[0]));
                describe(step, reports, bankId);
                stepStart[0] = System.nanoTime();
                if (step.equals("preprocess")) {
                  trainStart[0] = System.nanoTime();
                  if (spec.algorithm().equals("secureboost")) {
                    say(
                        "[train] SecureBoost, %s, %d-bit key held by %s, %d trees of depth %d,"
                            + " %d bins",
                        spec.boost().crypto().name().toLowerCase(Locale.ROOT),
                        spec.boost().keyBits(),
                        bankId,
                        spec.boost().trees(),
                        spec.boost().maxDepth(),
                        spec.boost().maxBins());
                  } else {
                    say(
                        "[train] vertical LR, %s, %d-bit key, up to %d epochs of batch %d",
                        spec.train().crypto().name().toLowerCase(Locale.ROOT),
                        spec.train().keyBits(),
                        spec.train().epochs(),
                        spec.train().batchSize());
                  }
                }
                if (step.equals("train") && spec.algorithm().equals("secureboost")) {
                  say("[train] %d trees in %.0f s", spec.boost().trees(), seconds(trainStart[0]));
                }
              });
    } catch (JobSpecException e) {
      throw new UserInputException(e.getMessage());
    }

    // 3. The report: what the bank computed, what the coordinator learned, what crossed the wire.
    Map<PartyId, Map<String, Object>> psi = steps.get("psi");
    Map<String, Object> bankPsi = psi.get(bankId);
    Map<String, Object> bankSplit = steps.get("split").get(bankId);
    Map<String, Object> bankEval = steps.get("evaluate").get(bankId);
    boolean lr = spec.trainsLr();
    HoldoutScores scores = (HoldoutScores) bank;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("job", spec.job());
    report.put("algorithm", spec.algorithm());
    if (lr) {
      report.put("crypto", coordinator.result().crypto());
    } else {
      Map<String, Object> crypto = new LinkedHashMap<>();
      crypto.put("scheme", spec.boost().crypto().name().toLowerCase(Locale.ROOT));
      crypto.put("key_bits", spec.boost().keyBits());
      crypto.put("key_holder", bankId.name());
      report.put("crypto", crypto);
    }
    report.put("aligned_rows", bankPsi.get("aligned_rows"));
    Map<String, Object> excluded = new LinkedHashMap<>();
    for (var e : psi.entrySet()) {
      if (!e.getKey().equals(coordinatorId)) {
        excluded.put(e.getKey().name(), e.getValue().get("rows_without_consent"));
      }
    }
    report.put("rows_without_consent", excluded);
    report.put("train_rows", bankSplit.get("train_rows"));
    report.put("holdout_rows", bankSplit.get("holdout_rows"));
    if (lr) {
      report.put("epochs_run", coordinator.result().epochsRun());
      report.put("stop_reason", coordinator.result().stopReason());
      report.put("epoch_losses", coordinator.result().epochLosses());
    } else {
      report.put("trees", spec.boost().trees());
      report.put("depth", spec.boost().maxDepth());
      report.put("bins", spec.boost().maxBins());
    }
    if (bankEval.containsKey("metrics")) {
      report.put("metrics", bankEval.get("metrics"));
      report.put("bank_only_metrics", bankEval.get("bank_only_metrics"));
    }
    if (lr) {
      report.putAll(scores.modelSummary());
    }
    Optional<double[]> holdoutScores = Optional.empty();
    List<PartyScorecard> parts = new java.util.ArrayList<>();
    if (bank instanceof ScorecardLabelProgram card) {
      Map<String, Object> prep = steps.get("preprocess").get(bankId);
      report.put("iv", prep.get("iv"));
      report.put("selected_columns", prep.get("selected"));
      report.put("characteristics_by_party", prep.get("characteristics_by_party"));
      if (bankEval.containsKey("scorecard")) {
        report.put("scorecard", bankEval.get("scorecard"));
      }
      holdoutScores = Optional.of(card.holdoutScores());
      card.publishedPart().ifPresent(parts::add);
      for (PartyId p : providerIds) {
        ((ScorecardFeatureProgram) programs.get(p)).publishedPart().ifPresent(parts::add);
      }
      report.put("published_by", parts.stream().map(PartyScorecard::party).toList());
    }
    Map<String, Map<String, Object>> shards = new LinkedHashMap<>();
    steps
        .get("publish")
        .forEach(
            (p, shard) -> {
              if (!p.equals(coordinatorId)) {
                shards.put(p.name(), shard);
              }
            });
    report.put("bytes_by_pair", fed.bytesByPair());
    report.put("bytes_total", fed.totalBytes());
    Map<String, Object> secs = new LinkedHashMap<>();
    secs.put("train", stepSeconds.get("train"));
    secs.put("steps", stepSeconds);
    secs.put("total", seconds(start));
    report.put("seconds", secs);
    return new Outcome(
        report,
        scores.holdoutIds(),
        scores.holdoutProbabilities(),
        holdoutScores,
        List.copyOf(parts),
        shards);
  }

  private void describe(String step, Map<PartyId, Map<String, Object>> reports, PartyId bankId) {
    switch (step) {
      case "psi" -> {
        say(
            "[psi] %,d enterprises aligned across %d parties",
            reports.get(bankId).get("aligned_rows"), reports.size() - 1);
        reports.forEach(
            (p, r) -> {
              Object n = r.get("rows_without_consent");
              if (n instanceof Integer i && i > 0) {
                say("[psi] %s: %,d rows without consent never entered PSI", p, i);
              }
            });
      }
      case "preprocess" ->
          reports.forEach(
              (p, r) -> {
                if (r.containsKey("model_columns")) {
                  say("[prep] %s: %s model columns", p, r.get("model_columns"));
                }
              });
      default -> {}
    }
  }

  private static Optional<Predicate<String>> consent(Set<String> consented) {
    return consented == null ? Optional.empty() : Optional.of(consented::contains);
  }

  private static Map<String, Double> namedWeights(List<String> names, double[] w) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int j = 0; j < w.length; j++) {
      out.put(names.get(j), w[j]);
    }
    return out;
  }

  private Set<String> readHoldout() throws IOException {
    if (spec.holdoutIds().isEmpty()) {
      return Set.of();
    }
    Path file = baseDir.resolve(spec.holdoutIds().get());
    if (!Files.isReadable(file)) {
      throw new UserInputException("holdout_ids: cannot read " + file);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).strip().equals("id")) {
      throw new UserInputException(file + ":1: the hold-out file must have the header 'id'");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String id = lines.get(i).strip();
      if (!id.isEmpty() && !ids.add(id)) {
        throw new UserInputException(file + ":" + (i + 1) + ": duplicate id '" + id + "'");
      }
    }
    return ids;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Writes every message as sent: {@code NNNNNN_<from>_to_<to>_<tag>.bin}. */
  static final class MessageTrace implements org.fedcredit.modelzoo.federation.MessageObserver {
    private final Path dir;
    private final AtomicLong seq = new AtomicLong();

    MessageTrace(Path dir) {
      this.dir = dir;
    }

    @Override
    public void onSend(PartyId from, PartyId to, String tag, byte[] payload) {
      String name =
          String.format(
              Locale.ROOT,
              "%07d_%s_to_%s_%s.bin",
              seq.incrementAndGet(),
              from,
              to,
              tag.replaceAll("[^A-Za-z0-9._-]", "_"));
      try {
        Files.write(dir.resolve(name), payload);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot write trace " + name + ": " + e.getMessage(), e);
      }
    }
  }
}
