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
import org.fedcredit.modelzoo.lr.LabelPartyRole;
import org.fedcredit.modelzoo.lr.TaylorLogisticRegression;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiLabelParty;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.modelzoo.serving.LinearBankModel;
import org.fedcredit.modelzoo.serving.RowEncoder;
import org.fedcredit.modelzoo.serving.ScorecardRules;
import org.fedcredit.protocols.lr.v1.PartialScores;
import org.fedcredit.protocols.lr.v1.TrainingSize;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * The bank's part of a vertical LR job (see {@link VerticalJobParty} for the steps). It holds the
 * labels, learns the intersection, decides the hold-out from its own id list, and computes every
 * metric; what it sends and learns is in docs/protocols/vertical-lr.md.
 */
public final class LabelPartyProgram implements VerticalJobParty, HoldoutScores {

  static final String TRAINING_SIZE = "split/train-size";
  static final String PARTIAL_SCORES = "evaluate/partial-scores";

  private final JobSpec spec;
  private final LocalTable table;
  private final Optional<Predicate<String>> consent;
  private final Set<String> holdoutIds;
  private final PaillierEngine.Options engine;
  private final Preparation preparation;
  private final PartyId coordinator;
  private final List<PartyId> providers;

  private Alignment alignment;
  private LocalTable aligned;
  private int[] train;
  private int[] test;
  private LocalTable trainTable;
  private RowEncoder encoder;
  private LocalTable testTable;
  private LabelPartyRole.Result model;
  private double[] holdoutProbabilities;
  private double[] holdoutLogits;
  private List<String> holdoutRowIds = List.of();

  /**
   * @param table the bank's rows, already limited to the columns the job may use, with labels
   * @param consent which enterprises consented (empty = no consent filter declared)
   * @param holdoutIds the ids to hold out for evaluation (empty = no evaluation)
   */
  public LabelPartyProgram(
      JobSpec spec,
      LocalTable table,
      Optional<Predicate<String>> consent,
      Set<String> holdoutIds,
      PaillierEngine.Options engine) {
    this(
        spec,
        table,
        consent,
        holdoutIds,
        engine,
        Preparation.local(spec.labelParty().preprocessing()));
  }

  /** As above, with the model's tables made by {@code preparation} in step preprocess. */
  LabelPartyProgram(
      JobSpec spec,
      LocalTable table,
      Optional<Predicate<String>> consent,
      Set<String> holdoutIds,
      PaillierEngine.Options engine,
      Preparation preparation) {
    if (!table.hasLabels()) {
      throw new JobSpecException(
          "parties." + spec.labelParty().name() + ": the label party's data has no labels");
    }
    this.spec = spec;
    this.table = table;
    this.consent = consent;
    this.holdoutIds = Set.copyOf(holdoutIds);
    this.engine = engine;
    this.preparation = preparation;
    this.coordinator = PartyId.of(spec.coordinator());
    this.providers = spec.featureParties().stream().map(p -> PartyId.of(p.name())).toList();
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    return switch (step) {
      case "psi" -> psi(fed);
      case "split" -> split(fed);
      case "preprocess" -> preprocess(fed);
      case "train" -> train(fed);
      case "evaluate" -> evaluate(fed);
      default -> publish();
    };
  }

  private Map<String, Object> psi(Federation fed) {
    alignment =
        new PsiLabelParty(fed, providers, PsiConfig.of(spec.job()))
            .run(StepReports.psiInput(table, consent));
    aligned = table.select(alignment.rows(), table.source());
    return StepReports.psi(alignment);
  }

  private Map<String, Object> split(Federation fed) {
    StepReports.Split split = StepReports.bankSplit(aligned, holdoutIds);
    train = split.train();
    test = split.test();
    StepReports.sendSplit(fed, providers, aligned.rows(), split);
    fed.send(
        coordinator, TRAINING_SIZE, TrainingSize.newBuilder().setTrainRows(train.length).build());
    return split.report();
  }

  private Map<String, Object> preprocess(Federation fed) {
    Preparation.Prepared p = preparation.prepare(aligned, train, test, fed);
    encoder = p.encoder();
    trainTable = p.train();
    testTable = p.test();
    return p.report();
  }

  private Map<String, Object> train(Federation fed) {
    model = new LabelPartyRole(fed, coordinator, providers, trainTable, spec.train(), engine).run();
    return Map.of("weights", model.weights().length);
  }

  private Map<String, Object> evaluate(Federation fed) {
    double[] u = new double[test.length];
    for (int i = 0; i < test.length; i++) {
      u[i] = model.intercept();
      for (int j = 0; j < model.weights().length; j++) {
        u[i] += model.weights()[j] * testTable.value(i, j);
      }
    }
    for (PartyId p : providers) {
      PartialScores s = fed.receive(p, PARTIAL_SCORES, PartialScores.class);
      if (s.getScoresCount() != test.length) {
        throw new JobSpecException(
            p + " sent " + s.getScoresCount() + " partial scores for " + test.length + " rows");
      }
      for (int i = 0; i < test.length; i++) {
        u[i] += s.getScores(i);
      }
    }
    holdoutProbabilities = new double[test.length];
    List<String> ids = new ArrayList<>(test.length);
    for (int i = 0; i < test.length; i++) {
      holdoutProbabilities[i] = 1 / (1 + Math.exp(-u[i]));
      ids.add(testTable.ids().get(i));
    }
    holdoutRowIds = List.copyOf(ids);
    holdoutLogits = u;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("holdout_rows", test.length);
    if (test.length > 0) {
      int[] y = testTable.labels().orElseThrow();
      out.put("metrics", BinaryClassificationMetrics.evaluate(y, holdoutProbabilities).toMap());
      out.put("bank_only_metrics", bankOnly(y).toMap());
    }
    return out;
  }

  /** What the bank reaches alone: the same Taylor LR on its own columns (a local computation). */
  private BinaryClassificationMetrics bankOnly(int[] y) {
    double[][] x = new double[trainTable.rows()][trainTable.features()];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = trainTable.value(i, j);
      }
    }
    double[] w = TaylorLogisticRegression.fit(x, trainTable.labels().orElseThrow(), spec.train());
    double[] p = new double[testTable.rows()];
    for (int i = 0; i < p.length; i++) {
      double s = w[w.length - 1];
      for (int j = 0; j < testTable.features(); j++) {
        s += w[j] * testTable.value(i, j);
      }
      p[i] = 1 / (1 + Math.exp(-s));
    }
    return BinaryClassificationMetrics.evaluate(y, p);
  }

  private Map<String, Object> publish() {
    return servingModel(Optional.empty(), Optional.empty()).toShard();
  }

  /**
   * The bank's served model, after {@code train}: its encoder, weights, training means (over the
   * training rows, after the same transform) and intercept.
   */
  LinearBankModel servingModel(Optional<ScorecardRules> rules, Optional<PartyScorecard> points) {
    if (!encoder.modelColumns().equals(model().featureNames())) {
      throw new IllegalStateException(
          "model columns " + model().featureNames() + " differ from " + encoder.modelColumns());
    }
    return new LinearBankModel(
        spec.job(),
        spec.labelParty().name(),
        spec.algorithm(),
        encoder,
        model().weights(),
        columnMeans(trainTable),
        model().intercept(),
        providers.stream().map(PartyId::name).toList(),
        rules,
        points);
  }

  /** The mean of every column of {@code t} over its rows (the training means for linear SHAP). */
  static double[] columnMeans(LocalTable t) {
    double[] m = new double[t.features()];
    for (int j = 0; j < m.length; j++) {
      double s = 0;
      for (int i = 0; i < t.rows(); i++) {
        s += t.value(i, j);
      }
      m[j] = t.rows() == 0 ? 0 : s / t.rows();
    }
    return m;
  }

  /** The trained model, after {@code train}. */
  public LabelPartyRole.Result model() {
    if (model == null) {
      throw new IllegalStateException("the train step has not run");
    }
    return model;
  }

  @Override
  public Map<String, Object> modelSummary() {
    Map<String, Object> w = new LinkedHashMap<>();
    for (int j = 0; j < model().weights().length; j++) {
      w.put(model().featureNames().get(j), model().weights()[j]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bank_weights", w);
    out.put("intercept", model().intercept());
    return out;
  }

  /** The hold-out ids in evaluation order, after {@code evaluate}. */
  @Override
  public List<String> holdoutIds() {
    return holdoutRowIds;
  }

  /** The federated model's probability for each hold-out row, after {@code evaluate}. */
  @Override
  public double[] holdoutProbabilities() {
    if (holdoutProbabilities == null) {
      throw new IllegalStateException("the evaluate step has not run");
    }
    return holdoutProbabilities.clone();
  }

  /** The federated model's logit {@code ln(P(bad)/P(good))} for each hold-out row. */
  double[] holdoutLogits() {
    if (holdoutLogits == null) {
      throw new IllegalStateException("the evaluate step has not run");
    }
    return holdoutLogits.clone();
  }

  /** The hold-out rows' labels, in evaluation order. */
  int[] holdoutLabels() {
    return testTable.labels().orElseThrow();
  }

  /** The bank's alignment, after {@code psi}. */
  public Alignment alignment() {
    return alignment;
  }
}
