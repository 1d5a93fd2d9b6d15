package org.fedcredit.modelzoo.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiFeatureParty;
import org.fedcredit.modelzoo.secureboost.BinnedTable;
import org.fedcredit.modelzoo.secureboost.SecureBoostFeatureParty;
import org.fedcredit.modelzoo.secureboost.TreeBinning;
import org.fedcredit.modelzoo.serving.PreprocessingEncoder;
import org.fedcredit.modelzoo.serving.TreeFeatureModel;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * A data provider's part of a SecureBoost job: it bins its own columns, answers the bank's
 * encrypted gradients with encrypted, shuffled, packed histograms, keeps the threshold of every
 * split it owns, and at evaluation sends only branch directions.
 */
public final class SecureBoostFeatureProgram implements VerticalJobParty {

  private final JobSpec spec;
  private final JobSpec.PartySpec self;
  private final LocalTable table;
  private final Optional<Predicate<String>> consent;
  private final PaillierEngine.Options engine;
  private final PartyId bank;

  private LocalTable aligned;
  private StepReports.Split split;
  private BinnedTable trainBins;
  private FittedPreprocessing fitted;
  private TreeBinning binning;
  private BinnedTable testBins;
  private SecureBoostFeatureParty.Result model;

  public SecureBoostFeatureProgram(
      JobSpec spec,
      String party,
      LocalTable table,
      Optional<Predicate<String>> consent,
      PaillierEngine.Options engine) {
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
    this.bank = PartyId.of(spec.labelParty().name());
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    return switch (step) {
      case "psi" -> {
        var alignment =
            new PsiFeatureParty(fed, bank, PsiConfig.of(spec.job()))
                .run(StepReports.psiInput(table, consent));
        aligned = table.select(alignment.rows(), table.source());
        yield StepReports.psi(alignment);
      }
      case "split" -> {
        split = StepReports.receiveSplit(fed, bank, self.name(), aligned.rows());
        yield split.report();
      }
      case "preprocess" -> {
        fitted = self.preprocessing().fit(aligned, split.train());
        LocalTable trainTable = fitted.apply(aligned, split.train());
        LocalTable testTable = fitted.apply(aligned, split.test());
        binning =
            TreeBinning.fit(
                trainTable.featureNames(),
                SecureBoostLabelProgram.rows(trainTable),
                spec.boost().maxBins());
        trainBins = binning.apply(SecureBoostLabelProgram.rows(trainTable));
        testBins = binning.apply(SecureBoostLabelProgram.rows(testTable));
        yield Map.of("model_columns", trainTable.features());
      }
      case "train" -> {
        model = new SecureBoostFeatureParty(fed, bank, trainBins, spec.boost(), engine).run();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("split_nodes_owned", model.rules().size());
        out.put("histograms_from_rows", model.histogramsFromRows());
        out.put("histograms_by_subtraction", model.histogramsBySubtraction());
        yield out;
      }
      case "evaluate" -> {
        SecureBoostFeatureParty.sendPredictionRoutes(
            fed, bank, SecureBoostLabelProgram.PREDICTION_ID, model, testBins);
        yield Map.of("holdout_rows", testBins.rows());
      }
      default -> StepReports.featureShard(spec, servingModel().toShard());
    };
  }

  /**
   * The party's served model, after {@code train}: its preprocessing, bin edges and the splits it
   * owns.
   */
  public TreeFeatureModel servingModel() {
    if (model == null) {
      throw new IllegalStateException("the train step has not run");
    }
    List<TreeFeatureModel.OwnedSplit> splits = new ArrayList<>();
    model
        .rules()
        .forEach((k, r) -> splits.add(new TreeFeatureModel.OwnedSplit(k.tree(), k.node(), r)));
    return new TreeFeatureModel(
        spec.job(),
        self.name(),
        new PreprocessingEncoder(fitted),
        SecureBoostLabelProgram.edges(binning),
        splits);
  }
}
