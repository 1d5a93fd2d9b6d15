package org.fedcredit.modelzoo.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.HoldoutScores;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.StepwiseSimulation;
import org.fedcredit.modelzoo.job.VerticalJobParty;
import org.fedcredit.modelzoo.job.VerticalJobs;
import org.fedcredit.modelzoo.lr.VerticalLogisticRegression;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * A small default_credit job run in the in-memory simulation, as {@code fedcredit run --simulate}
 * runs it: the first {@link #ROWS} rows of FATE's hetero split, some values blanked (missing) so
 * that imputation, missing bins and default directions are exercised, every fourth id held out.
 */
final class ServedJobs {

  static final Path DATA = Path.of("..", "examples", "default-credit");
  static final int ROWS = 1200;

  /** What the job produced: the raw tables, the bank's program, every party's shard. */
  record Outcome(
      LocalTable bank,
      LocalTable provider,
      VerticalJobParty bankProgram,
      HoldoutScores scores,
      Map<String, Map<String, Object>> shards) {}

  private ServedJobs() {}

  static LocalTable read(String file, boolean labels, int blankColumn, int blankEvery) {
    List<String> lines;
    try {
      lines = Files.readAllLines(DATA.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] header = lines.get(0).split(",");
    int first = labels ? 2 : 1;
    List<String> names = new ArrayList<>();
    for (int j = first; j < header.length; j++) {
      names.add(header[j]);
    }
    List<String> ids = new ArrayList<>();
    double[][] cols = new double[names.size()][ROWS];
    int[] y = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      String[] f = lines.get(i + 1).split(",");
      ids.add(f[0]);
      if (labels) {
        y[i] = Integer.parseInt(f[1]);
      }
      for (int j = 0; j < names.size(); j++) {
        cols[j][i] = Double.parseDouble(f[first + j]);
      }
      if (i % blankEvery == 0) {
        cols[blankColumn][i] = Double.NaN;
      }
    }
    return new LocalTable(file, ids, names, cols, labels ? y : null);
  }

  /**
   * Runs {@code algorithm} with plaintext-insecure crypto.
   *
   * @param bankPreprocessing the bank's {@code preprocessing} map (empty for none)
   * @param providerPreprocessing the provider's
   */
  static Outcome run(
      String algorithm,
      Map<String, Object> bankPreprocessing,
      Map<String, Object> providerPreprocessing) {
    LocalTable bank = read("default_credit_hetero_guest.csv", true, 3, 7);
    LocalTable provider = read("default_credit_hetero_host.csv", false, 2, 5);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("job", "served-" + algorithm);
    spec.put("algorithm", algorithm);
    spec.put("crypto", "plaintext-insecure");
    spec.put("label_party", "bank");
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("id_column", "id");
    b.put("label_column", "y");
    if (!bankPreprocessing.isEmpty()) {
      b.put("preprocessing", bankPreprocessing);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id_column", "id");
    if (!providerPreprocessing.isEmpty()) {
      p.put("preprocessing", providerPreprocessing);
    }
    spec.put("parties", Map.of("bank", b, "provider", p));
    if (algorithm.equals("secureboost")) {
      spec.put(
          "train",
          Map.of(
              "trees",
              4,
              "depth",
              3,
              "bins",
              16,
              "learning_rate",
              0.3,
              "min_samples_leaf",
              20,
              "seed",
              7));
    } else {
      spec.put(
          "train",
          Map.of("epochs", 4, "batch_size", 256, "learning_rate", 0.15, "l2", 0, "seed", 42));
    }
    if (algorithm.equals("scorecard")) {
      spec.put(
          "binning",
          Map.of("method", "quantile", "bins", 6, "min_bin_rows", 30, "iv_threshold", 0));
      spec.put("scorecard", Map.of("publish", List.of("bank", "provider")));
    }
    JobSpec job = JobSpec.fromMap(spec);
    Set<String> holdout = new HashSet<>();
    for (int i = 0; i < ROWS; i += 4) {
      holdout.add(bank.ids().get(i));
    }

    PartyId bankId = PartyId.of("bank");
    PartyId providerId = PartyId.of("provider");
    PartyId coordinatorId = PartyId.of(job.coordinator());
    InMemoryFederation fed =
        new InMemoryFederation(
            VerticalLogisticRegression.parties(
                bankId, new LinkedHashSet<>(List.of(providerId)), coordinatorId));
    PaillierEngine.Options engine = PaillierEngine.Options.defaults();
    VerticalJobParty bankProgram =
        VerticalJobs.labelParty(job, bank, Optional.empty(), holdout, engine);
    Map<PartyId, VerticalJobParty> programs = new LinkedHashMap<>();
    programs.put(bankId, bankProgram);
    programs.put(
        providerId, VerticalJobs.featureParty(job, "provider", provider, Optional.empty(), engine));
    programs.put(coordinatorId, VerticalJobs.coordinator(job, engine, (e, l, s) -> {}));
    Map<String, Map<PartyId, Map<String, Object>>> steps =
        StepwiseSimulation.run(programs, fed, (k, step, reports) -> {});
    Map<String, Map<String, Object>> shards = new LinkedHashMap<>();
    shards.put("bank", steps.get("publish").get(bankId));
    shards.put("provider", steps.get("publish").get(providerId));
    return new Outcome(bank, provider, bankProgram, (HoldoutScores) bankProgram, shards);
  }

  /** Row {@code id} of {@code t} as a raw row (column name → value, NaN = missing). */
  static Map<String, Double> rawRow(LocalTable t, String id) {
    int i = t.ids().indexOf(id);
    Map<String, Double> row = new LinkedHashMap<>();
    for (int j = 0; j < t.features(); j++) {
      row.put(t.featureNames().get(j), t.value(i, j));
    }
    return row;
  }
}
