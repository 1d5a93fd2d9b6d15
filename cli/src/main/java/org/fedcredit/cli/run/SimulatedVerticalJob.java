package org.fedcredit.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.fedcredit.cli.UserInputException;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.JobSpec.PartySpec;
import org.fedcredit.modelzoo.lr.TaylorLogisticRegression;
import org.fedcredit.modelzoo.lr.VerticalLogisticRegression;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiFeatureParty;
import org.fedcredit.modelzoo.psi.PsiInput;
import org.fedcredit.modelzoo.psi.PsiLabelParty;
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

  /** What the run produced. */
  public record Outcome(
      Map<String, Object> report, List<String> holdoutIds, double[] holdoutProbabilities) {}

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

    // 2. PSI: the bank aligns with every provider.
    long t0 = System.nanoTime();
    PsiConfig psiConfig = PsiConfig.of(spec.job());
    Map<PartyId, Alignment> alignments = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(providerIds.size() + 1);
    try {
      Future<Alignment> bankAlign =
          pool.submit(
              () ->
                  new PsiLabelParty(fed.endpoint(bankId), providerIds, psiConfig)
                      .run(psiInput(raw.get(bankId), consented.get(bankId))));
      Map<PartyId, Future<Alignment>> prov = new LinkedHashMap<>();
      for (PartyId p : providerIds) {
        prov.put(
            p,
            pool.submit(
                () ->
                    new PsiFeatureParty(fed.endpoint(p), bankId, psiConfig)
                        .run(psiInput(raw.get(p), consented.get(p)))));
      }
      alignments.put(bankId, get(bankAlign, fed, bankId));
      for (var e : prov.entrySet()) {
        alignments.put(e.getKey(), get(e.getValue(), fed, e.getKey()));
      }
    } finally {
      pool.shutdownNow();
    }
    int aligned = alignments.get(bankId).size();
    say(
        "[psi] %,d enterprises aligned across %d parties in %.1f s",
        aligned, all.size() - 1, seconds(t0));
    for (var e : alignments.entrySet()) {
      if (e.getValue().excludedWithoutConsent() > 0) {
        say(
            "[psi] %s: %,d rows without consent never entered PSI",
            e.getKey(), e.getValue().excludedWithoutConsent());
      }
    }

    Map<PartyId, LocalTable> alignedTables = new LinkedHashMap<>();
    for (var e : raw.entrySet()) {
      alignedTables.put(
          e.getKey(),
          e.getValue().select(alignments.get(e.getKey()).rows(), e.getValue().source()));
    }

    // 3. The bank's hold-out ids split the aligned rows (in a deployment the bank sends the
    //    positions to the providers; they learn which aligned rows are held out, nothing more).
    LocalTable bankAligned = alignedTables.get(bankId);
    Set<String> holdout = readHoldout();
    List<Integer> trainList = new ArrayList<>();
    List<Integer> testList = new ArrayList<>();
    for (int i = 0; i < aligned; i++) {
      (holdout.contains(bankAligned.ids().get(i)) ? testList : trainList).add(i);
    }
    if (!holdout.isEmpty() && testList.isEmpty()) {
      throw new UserInputException(
          "holdout_ids: none of the " + holdout.size() + " hold-out ids is among the aligned rows");
    }
    if (trainList.size() < 2) {
      throw new UserInputException(
          "only " + trainList.size() + " aligned training rows; nothing to train on");
    }
    int[] train = trainList.stream().mapToInt(Integer::intValue).toArray();
    int[] test = testList.stream().mapToInt(Integer::intValue).toArray();

    // 4. Party-local preprocessing, fitted on training rows only.
    Map<PartyId, LocalTable> trainTables = new LinkedHashMap<>();
    Map<PartyId, LocalTable> testTables = new LinkedHashMap<>();
    for (PartySpec p : spec.parties()) {
      PartyId id = PartyId.of(p.name());
      LocalTable t = alignedTables.get(id);
      FittedPreprocessing fitted = p.preprocessing().fit(t, train);
      trainTables.put(id, fitted.apply(t, train));
      testTables.put(id, fitted.apply(t, test));
      say("[prep] %s: %d model columns", p.name(), fitted.outputColumns().size());
    }

    // 5. Training.
    t0 = System.nanoTime();
    say(
        "[train] vertical LR, %s, %d-bit key, up to %d epochs of batch %d",
        spec.train().crypto().name().toLowerCase(Locale.ROOT),
        spec.train().keyBits(),
        spec.train().epochs(),
        spec.train().batchSize());
    Map<PartyId, LocalTable> providerTrain = new LinkedHashMap<>(trainTables);
    providerTrain.remove(bankId);
    long trainStart = System.nanoTime();
    VerticalLogisticRegression.Model model =
        VerticalLogisticRegression.simulate(
            bankId,
            trainTables.get(bankId),
            providerTrain,
            coordinatorId,
            spec.train(),
            PaillierEngine.Options.defaults(),
            fed,
            (epoch, loss, stop) ->
                say(
                    "[train] epoch %d: mean Taylor loss %.6f (%.0f s)%s",
                    epoch + 1, loss, seconds(trainStart), stop ? " - stop" : ""));
    double trainSeconds = seconds(t0);

    // 6. Evaluation at the bank on the hold-out.
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("job", spec.job());
    report.put("algorithm", spec.algorithm());
    report.put("crypto", model.coordinator().crypto());
    report.put("aligned_rows", aligned);
    Map<String, Integer> excluded = new LinkedHashMap<>();
    alignments.forEach((k, v) -> excluded.put(k.name(), v.excludedWithoutConsent()));
    report.put("rows_without_consent", excluded);
    report.put("train_rows", train.length);
    report.put("holdout_rows", test.length);
    report.put("epochs_run", model.coordinator().epochsRun());
    report.put("stop_reason", model.coordinator().stopReason());
    report.put("epoch_losses", model.coordinator().epochLosses());
    double[] probs = new double[test.length];
    List<String> testIds = new ArrayList<>();
    Map<PartyId, LocalTable> providerTest = new LinkedHashMap<>(testTables);
    providerTest.remove(bankId);
    LocalTable bankTest = testTables.get(bankId);
    for (int i = 0; i < test.length; i++) {
      probs[i] = model.probability(bankTest, providerTest, i);
      testIds.add(bankTest.ids().get(i));
    }
    if (test.length > 0) {
      int[] y = bankTest.labels().orElseThrow();
      report.put("metrics", BinaryClassificationMetrics.evaluate(y, probs).toMap());
      report.put("bank_only_metrics", bankOnly(trainTables.get(bankId), bankTest, y).toMap());
    }
    Map<String, Object> weights = new LinkedHashMap<>();
    weights.put(bankId.name(), namedWeights(model.bank().featureNames(), model.bank().weights()));
    for (var e : model.providers().entrySet()) {
      weights.put(
          e.getKey().name(),
          "kept by " + e.getKey().name() + " (" + e.getValue().weights().length + " weights)");
    }
    report.put("bank_weights", weights.get(bankId.name()));
    report.put("intercept", model.bank().intercept());
    report.put("bytes_by_pair", fed.bytesByPair());
    report.put("bytes_total", fed.totalBytes());
    report.put("seconds", Map.of("train", trainSeconds, "total", seconds(start)));
    return new Outcome(report, testIds, probs);
  }

  private static PsiInput psiInput(LocalTable t, Set<String> consented) {
    return consented == null ? PsiInput.of(t.ids()) : PsiInput.of(t.ids(), consented::contains);
  }

  /** What the bank reaches alone: the same Taylor LR on its own columns (a local computation). */
  private BinaryClassificationMetrics bankOnly(LocalTable bankTrain, LocalTable bankTest, int[] y) {
    double[][] x = rows(bankTrain);
    double[] w = TaylorLogisticRegression.fit(x, bankTrain.labels().orElseThrow(), spec.train());
    double[] p = new double[bankTest.rows()];
    for (int i = 0; i < p.length; i++) {
      double u = w[w.length - 1];
      for (int j = 0; j < bankTest.features(); j++) {
        u += w[j] * bankTest.value(i, j);
      }
      p[i] = 1 / (1 + Math.exp(-u));
    }
    return BinaryClassificationMetrics.evaluate(y, p);
  }

  private static double[][] rows(LocalTable t) {
    double[][] x = new double[t.rows()][t.features()];
    for (int i = 0; i < t.rows(); i++) {
      for (int j = 0; j < t.features(); j++) {
        x[i][j] = t.value(i, j);
      }
    }
    return x;
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

  private static <T> T get(Future<T> f, InMemoryFederation fed, PartyId who) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      fed.fail(who, e.getCause());
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
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
