package org.fedcredit.modelzoo.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.lr.FeaturePartyRole;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiFeatureParty;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.modelzoo.serving.LinearFeatureModel;
import org.fedcredit.modelzoo.serving.RowEncoder;
import org.fedcredit.protocols.lr.v1.PartialScores;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * A data provider's part of a vertical LR job (see {@link VerticalJobParty} for the steps). Its
 * feature values and weights never leave it; it sends the bank only what
 * docs/protocols/vertical-lr.md lists (blinded ids, encrypted and masked training messages, and at
 * evaluation the partial scores of the hold-out rows).
 */
public final class FeaturePartyProgram implements VerticalJobParty {

  private final JobSpec spec;
  private final JobSpec.PartySpec self;
  private final LocalTable table;
  private final Optional<Predicate<String>> consent;
  private final PaillierEngine.Options engine;
  private final Preparation preparation;
  private final PartyId bank;
  private final PartyId coordinator;
  private final List<PartyId> providers;

  private Alignment alignment;
  private LocalTable aligned;
  private int[] train;
  private int[] test;
  private LocalTable trainTable;
  private RowEncoder encoder;
  private LocalTable testTable;
  private FeaturePartyRole.Result model;

  /**
   * @param party which of the spec's feature parties this is
   * @param table the party's rows, already limited to the columns its policy admits for this job
   * @param consent which enterprises consented (empty = no consent filter declared)
   */
  public FeaturePartyProgram(
      JobSpec spec,
      String party,
      LocalTable table,
      Optional<Predicate<String>> consent,
      PaillierEngine.Options engine) {
    this(spec, party, table, consent, engine, null);
  }

  /**
   * As above, with the model's tables made by {@code preparation} in step preprocess (null: the
   * party's own preprocessing from the spec).
   */
  FeaturePartyProgram(
      JobSpec spec,
      String party,
      LocalTable table,
      Optional<Predicate<String>> consent,
      PaillierEngine.Options engine,
      Preparation preparation) {
    this.spec = spec;
    this.self =
        spec.featureParties().stream()
            .filter(p -> p.name().equals(party))
            .findFirst()
            .orElseThrow(
                () ->
                    new JobSpecException(
                        "'" + party + "' is not a feature party of job " + spec.job()));
    this.table = table;
    this.consent = consent;
    this.engine = engine;
    this.preparation = preparation != null ? preparation : Preparation.local(self.preprocessing());
    this.bank = PartyId.of(spec.labelParty().name());
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
        new PsiFeatureParty(fed, bank, PsiConfig.of(spec.job()))
            .run(StepReports.psiInput(table, consent));
    aligned = table.select(alignment.rows(), table.source());
    return StepReports.psi(alignment);
  }

  private Map<String, Object> split(Federation fed) {
    StepReports.Split split = StepReports.receiveSplit(fed, bank, self.name(), aligned.rows());
    train = split.train();
    test = split.test();
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
    model =
        new FeaturePartyRole(fed, bank, coordinator, providers, trainTable, spec.train(), engine)
            .run();
    return Map.of("weights", model.weights().length);
  }

  private Map<String, Object> evaluate(Federation fed) {
    PartialScores.Builder s = PartialScores.newBuilder();
    for (int i = 0; i < test.length; i++) {
      double u = 0;
      for (int j = 0; j < model.weights().length; j++) {
        u += model.weights()[j] * testTable.value(i, j);
      }
      s.addScores(u);
    }
    fed.send(bank, LabelPartyProgram.PARTIAL_SCORES, s.build());
    return Map.of("holdout_rows", test.length);
  }

  private Map<String, Object> publish() {
    return StepReports.featureShard(spec, servingModel(Optional.empty()).toShard());
  }

  /**
   * The party's served model, after {@code train}: its encoder, weights and training means (over
   * the training rows, after the same transform).
   */
  LinearFeatureModel servingModel(Optional<PartyScorecard> points) {
    if (!encoder.modelColumns().equals(model().featureNames())) {
      throw new IllegalStateException(
          "model columns " + model().featureNames() + " differ from " + encoder.modelColumns());
    }
    return new LinearFeatureModel(
        spec.job(),
        self.name(),
        spec.algorithm(),
        encoder,
        model().weights(),
        LabelPartyProgram.columnMeans(trainTable),
        points);
  }

  /** The trained weights, after {@code train}. */
  public FeaturePartyRole.Result model() {
    if (model == null) {
      throw new IllegalStateException("the train step has not run");
    }
    return model;
  }
}
