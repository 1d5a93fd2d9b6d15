package org.fedcredit.modelzoo.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiLabelParty;
import org.fedcredit.modelzoo.secureboost.BinnedTable;
import org.fedcredit.modelzoo.secureboost.PlainSecureBoost;
import org.fedcredit.modelzoo.secureboost.SecureBoostLabelParty;
import org.fedcredit.modelzoo.secureboost.TreeBinning;
import org.fedcredit.modelzoo.serving.PreprocessingEncoder;
import org.fedcredit.modelzoo.serving.TreeBankModel;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * The bank's part of a SecureBoost job (steps as in {@link VerticalJobParty}): it holds the labels
 * and the job's Paillier key, bins its own columns, builds every tree with the providers' encrypted
 * histograms (docs/protocols/secureboost.md), and scores the hold-out by asking each provider for
 * the branch directions of its split nodes.
 */
public final class SecureBoostLabelProgram implements VerticalJobParty, HoldoutScores {

  static final String PREDICTION_ID = "holdout";

  private final JobSpec spec;
  private final LocalTable table;
  private final Optional<Predicate<String>> consent;
  private final Set<String> holdoutIds;
  private final PaillierEngine.Options engine;
  private final List<PartyId> providers;

  private LocalTable aligned;
  private StepReports.Split split;
  private LocalTable trainTable;
  private LocalTable testTable;
  private BinnedTable trainBins;
  private FittedPreprocessing fitted;
  private TreeBinning binning;
  private BinnedTable testBins;
  private SecureBoostLabelParty.Result model;
  private double[] probabilities;
  private SecureBoostLabelParty.TreeListener treeListener = (t, n) -> {};
  private List<String> ids = List.of();

  public SecureBoostLabelProgram(
      JobSpec spec,
      LocalTable table,
      Optional<Predicate<String>> consent,
      Set<String> holdoutIds,
      PaillierEngine.Options engine) {
    if (!table.hasLabels()) {
      throw new JobSpecException(
          "parties." + spec.labelParty().name() + ": the label party's data has no labels");
    }
    this.spec = spec;
    this.table = table;
    this.consent = consent;
    this.holdoutIds = Set.copyOf(holdoutIds);
    this.engine = engine;
    this.providers = spec.featureParties().stream().map(p -> PartyId.of(p.name())).toList();
  }

  /** Tells {@code listener} after every tree (the job's progress); returns this program. */
  public SecureBoostLabelProgram onTree(SecureBoostLabelParty.TreeListener listener) {
    this.treeListener = listener;
    return this;
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    return switch (step) {
      case "psi" -> {
        var alignment =
            new PsiLabelParty(fed, providers, PsiConfig.of(spec.job()))
                .run(StepReports.psiInput(table, consent));
        aligned = table.select(alignment.rows(), table.source());
        yield StepReports.psi(alignment);
      }
      case "split" -> {
        split = StepReports.bankSplit(aligned, holdoutIds);
        StepReports.sendSplit(fed, providers, aligned.rows(), split);
        yield split.report();
      }
      case "preprocess" -> preprocess();
      case "train" -> {
        int[] y = trainTable.labels().orElseThrow();
        SecureBoostLabelParty role =
            new SecureBoostLabelParty(fed, providers, trainBins, y, spec.boost(), engine)
                .onTree(treeListener);
        model = role.run();
        yield Map.of(
            "trees", model.trees().size(), "crypto", role.effectiveParameters().asAuditMap());
      }
      case "evaluate" -> evaluate(fed);
      default -> {
        Map<String, Object> shard = new LinkedHashMap<>(servingModel().toShard());
        shard.put("key_id", model.keyId());
        yield shard;
      }
    };
  }

  private Map<String, Object> preprocess() {
    fitted = spec.labelParty().preprocessing().fit(aligned, split.train());
    trainTable = fitted.apply(aligned, split.train());
    testTable = fitted.apply(aligned, split.test());
    binning = TreeBinning.fit(trainTable.featureNames(), rows(trainTable), spec.boost().maxBins());
    trainBins = binning.apply(rows(trainTable));
    testBins = binning.apply(rows(testTable));
    return Map.of("model_columns", trainTable.features());
  }

  private Map<String, Object> evaluate(Federation fed) {
    probabilities =
        SecureBoostLabelParty.predict(fed, providers, PREDICTION_ID, model, testBins)
            .probabilities();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < testTable.rows(); i++) {
      out.add(testTable.ids().get(i));
    }
    ids = List.copyOf(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("holdout_rows", testTable.rows());
    if (testTable.rows() > 0) {
      int[] y = testTable.labels().orElseThrow();
      report.put("metrics", BinaryClassificationMetrics.evaluate(y, probabilities).toMap());
      double[] alone =
          PlainSecureBoost.fit(List.of(trainBins), trainTable.labels().orElseThrow(), spec.boost())
              .probabilities(List.of(testBins));
      report.put("bank_only_metrics", BinaryClassificationMetrics.evaluate(y, alone).toMap());
    }
    return report;
  }

  /** The bank's served model, after {@code train}: preprocessing, bin edges, trees with covers. */
  public TreeBankModel servingModel() {
    if (model == null) {
      throw new IllegalStateException("the train step has not run");
    }
    return TreeBankModel.of(
        spec.job(),
        spec.labelParty().name(),
        new PreprocessingEncoder(fitted),
        edges(binning),
        providers.stream().map(PartyId::name).toList(),
        model);
  }

  /** The upper bin edges of every feature of {@code binning}. */
  static List<double[]> edges(TreeBinning binning) {
    List<double[]> out = new ArrayList<>();
    for (int j = 0; j < binning.featureNames().size(); j++) {
      out.add(binning.edges(j));
    }
    return out;
  }

  static double[][] rows(LocalTable t) {
    double[][] x = new double[t.rows()][t.features()];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = t.value(i, j);
      }
    }
    return x;
  }

  @Override
  public Map<String, Object> modelSummary() {
    Map<String, Object> shard = new LinkedHashMap<>();
    shard.put("job", spec.job());
    shard.put("party", spec.labelParty().name());
    shard.put("role", "label-party");
    shard.put("algorithm", "secureboost");
    shard.put("feature_names", trainBins.featureNames());
    shard.put("trees", model.trees());
    shard.put("key_id", model.keyId());
    return shard;
  }

  @Override
  public List<String> holdoutIds() {
    return ids;
  }

  @Override
  public double[] holdoutProbabilities() {
    if (probabilities == null) {
      throw new IllegalStateException("the evaluate step has not run");
    }
    return probabilities.clone();
  }
}
