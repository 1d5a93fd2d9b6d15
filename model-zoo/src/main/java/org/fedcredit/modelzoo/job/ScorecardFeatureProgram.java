package org.fedcredit.modelzoo.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.binning.WoeBinningFeatureParty;
import org.fedcredit.modelzoo.binning.WoeColumn;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.modelzoo.serving.WoeEncoder;
import org.fedcredit.protocols.binning.v1.ScorecardBase;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * A data provider's part of a scorecard job: the vertical LR of {@link FeaturePartyProgram} on WOE
 * columns. In step {@code preprocess} it bins its columns on the training rows and joins the
 * federated WOE binning ({@link WoeBinningFeatureParty}: encrypted event counts per opaque bin),
 * then WOE-transforms the columns the bank's IV selection kept; in {@code publish}, only if the job
 * lists it under {@code scorecard.publish}, it receives the base points from the bank and builds
 * its {@link PartyScorecard} (its bins' labels and points) for the committee export.
 */
public final class ScorecardFeatureProgram implements VerticalJobParty {

  private final JobSpec spec;
  private final String self;
  private final PaillierEngine.Options engine;
  private final PartyId bank;
  private final FeaturePartyProgram lr;

  private List<WoeColumn> own;
  private PartyScorecard part;

  public ScorecardFeatureProgram(
      JobSpec spec,
      String party,
      LocalTable table,
      Optional<Predicate<String>> consent,
      PaillierEngine.Options engine) {
    this.spec = spec;
    this.self = party;
    this.engine = engine;
    this.bank = PartyId.of(spec.labelParty().name());
    this.lr = new FeaturePartyProgram(spec, party, table, consent, engine, this::prepare);
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    return step.equals("publish") ? publish(fed) : lr.runStep(step, fed);
  }

  private Preparation.Prepared prepare(
      LocalTable aligned, int[] train, int[] test, Federation fed) {
    WoeBinningFeatureParty.Result binning =
        new WoeBinningFeatureParty(fed, bank, aligned, train, spec.binning(), engine).run();
    if (binning.selected().isEmpty()) {
      throw new JobSpecException(
          "binning: the IV selection kept none of "
              + self
              + "'s columns; lower binning.iv_threshold, raise binning.top_k or leave "
              + self
              + " out of the job");
    }
    own = binning.selectedColumns();
    return new Preparation.Prepared(
        new WoeEncoder(own),
        binning.transform(aligned.select(train, aligned.source() + " (train)")),
        binning.transform(aligned.select(test, aligned.source() + " (hold-out)")),
        Map.of("model_columns", own.size(), "binned_columns", binning.columns().size()));
  }

  private Map<String, Object> publish(Federation fed) {
    if (spec.scorecard().publishes(self)) {
      ScorecardBase base = fed.receive(bank, ScorecardLabelProgram.BASE, ScorecardBase.class);
      part =
          ScorecardLabelProgram.part(
              self,
              own,
              lr.model().featureNames(),
              lr.model().weights(),
              spec.scorecard().scaling(),
              base.getBasePointsPerCharacteristic(),
              base.getCharacteristics());
    }
    Map<String, Object> shard =
        new LinkedHashMap<>(lr.servingModel(Optional.ofNullable(part)).toShard());
    shard.put("scorecard_characteristics", own.size());
    shard.put("scorecard_published", part != null);
    return StepReports.featureShard(spec, shard);
  }

  /** This party's published points tables, after {@code publish}; empty if it does not publish. */
  public Optional<PartyScorecard> publishedPart() {
    return Optional.ofNullable(part);
  }
}
