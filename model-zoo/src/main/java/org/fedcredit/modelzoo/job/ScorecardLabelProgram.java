package org.fedcredit.modelzoo.job;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.binning.ColumnIv;
import org.fedcredit.modelzoo.binning.WoeBinningLabelParty;
import org.fedcredit.modelzoo.binning.WoeColumn;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.modelzoo.scorecard.ScorecardScaling;
import org.fedcredit.modelzoo.serving.ScorecardRules;
import org.fedcredit.modelzoo.serving.WoeEncoder;
import org.fedcredit.protocols.binning.v1.ScorecardBase;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * The bank's part of a scorecard job: the vertical LR of {@link LabelPartyProgram} on WOE columns.
 * In step {@code preprocess} it runs the federated WOE binning on the training rows with a fresh
 * job key of its own ({@link WoeBinningLabelParty}), selects columns by IV across all parties and
 * WOE-transforms its selected columns; {@code train} and {@code evaluate} are the LR's, the
 * evaluation adding the hold-out score distribution; in {@code publish} it sends each provider that
 * publishes its part the base points per characteristic, and builds its own {@link PartyScorecard}.
 * Characteristics are named {@code party/column} so that equal column names at two parties stay
 * apart. What is revealed: docs/protocols/binning.md.
 */
public final class ScorecardLabelProgram implements VerticalJobParty, HoldoutScores {

  static final String BASE = "scorecard/base";

  private final JobSpec spec;
  private final PaillierEngine.Options engine;
  private final List<PartyId> providers;
  private final LabelPartyProgram lr;

  private String self;
  private WoeBinningLabelParty.Result binning;
  private List<WoeColumn> own;
  private double[] holdoutScores;
  private PartyScorecard part;

  public ScorecardLabelProgram(
      JobSpec spec,
      LocalTable table,
      Optional<Predicate<String>> consent,
      Set<String> holdoutIds,
      PaillierEngine.Options engine) {
    this.spec = spec;
    this.engine = engine;
    this.providers = spec.featureParties().stream().map(p -> PartyId.of(p.name())).toList();
    this.lr = new LabelPartyProgram(spec, table, consent, holdoutIds, engine, this::prepare);
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    return switch (step) {
      case "evaluate" -> evaluate(fed);
      case "publish" -> publish(fed);
      default -> lr.runStep(step, fed);
    };
  }

  private Preparation.Prepared prepare(
      LocalTable aligned, int[] train, int[] test, Federation fed) {
    self = fed.self().name();
    PaillierKeyPair key =
        PaillierKeyPair.generate(
            spec.binning().keyBits(), KeySizePolicy.DEFAULT, new SecureRandom());
    binning =
        new WoeBinningLabelParty(fed, providers, aligned, train, spec.binning(), key, engine).run();
    Map<String, Integer> perParty = new LinkedHashMap<>();
    perParty.put(self, 0);
    providers.forEach(p -> perParty.put(p.name(), 0));
    for (String q : binning.selected()) {
      perParty.merge(q.substring(0, q.indexOf('/')), 1, Integer::sum);
    }
    perParty.forEach(
        (party, n) -> {
          if (n == 0) {
            throw new JobSpecException(
                "binning: the IV selection kept none of "
                    + party
                    + "'s columns; lower binning.iv_threshold, raise binning.top_k or leave "
                    + party
                    + " out of the job");
          }
        });
    own = new ArrayList<>();
    for (String c : aligned.featureNames()) {
      if (binning.selected().contains(self + "/" + c)) {
        own.add(binning.ownColumns().get(c));
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model_columns", own.size());
    report.put("binned_columns", binning.columns().size());
    Map<String, Object> iv = new LinkedHashMap<>();
    for (ColumnIv c : binning.columns()) {
      iv.put(c.qualifiedName(), c.iv());
    }
    report.put("iv", iv);
    report.put("selected", binning.selected());
    report.put("characteristics_by_party", perParty);
    return new Preparation.Prepared(
        new WoeEncoder(own),
        WoeColumn.transform(aligned.select(train, aligned.source() + " (train)"), own),
        WoeColumn.transform(aligned.select(test, aligned.source() + " (hold-out)"), own),
        report);
  }

  private Map<String, Object> evaluate(Federation fed) {
    Map<String, Object> out = new LinkedHashMap<>(lr.runStep("evaluate", fed));
    ScorecardScaling scaling = spec.scorecard().scaling();
    double[] logits = lr.holdoutLogits();
    holdoutScores = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      holdoutScores[i] = scaling.score(logits[i]);
    }
    int n = binning.selected().size();
    Map<String, Object> points = new LinkedHashMap<>();
    points.put("base_score", scaling.baseScore());
    points.put("base_odds", scaling.baseOdds());
    points.put("pdo", scaling.pdo());
    points.put("factor", scaling.factor());
    points.put("offset", scaling.offset());
    points.put("characteristics", n);
    points.put(
        "base_points_per_characteristic",
        scaling.basePointsPerCharacteristic(lr.model().intercept(), n));
    Map<String, Object> bands = new LinkedHashMap<>();
    List<String> names = spec.scorecard().bands().names();
    List<Double> bounds = spec.scorecard().bands().lowerBounds();
    for (int b = 0; b < names.size(); b++) {
      bands.put(names.get(b), b < bounds.size() ? "≥ " + bounds.get(b) : "< " + bounds.get(b - 1));
    }
    points.put("bands", bands);
    if (logits.length > 0) {
      points.put("holdout_scores", distribution(holdoutScores, lr.holdoutLabels()));
    }
    out.put("scorecard", points);
    return out;
  }

  /** Quantiles of the hold-out scores, and rows and bad rate per band. */
  private Map<String, Object> distribution(double[] scores, int[] y) {
    double[] s = scores.clone();
    Arrays.sort(s);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("min", s[0]);
    for (int q : new int[] {10, 25, 50, 75, 90}) {
      out.put("p" + q, s[(int) Math.min(s.length - 1, Math.floor(q / 100.0 * s.length))]);
    }
    out.put("max", s[s.length - 1]);
    out.put("mean", Arrays.stream(s).average().orElse(Double.NaN));
    Map<String, Map<String, Object>> perBand = new LinkedHashMap<>();
    for (String name : spec.scorecard().bands().names()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("rows", 0);
      b.put("bad", 0);
      perBand.put(name, b);
    }
    for (int i = 0; i < scores.length; i++) {
      Map<String, Object> b = perBand.get(spec.scorecard().bands().band(scores[i]));
      b.put("rows", (Integer) b.get("rows") + 1);
      b.put("bad", (Integer) b.get("bad") + y[i]);
    }
    perBand
        .values()
        .forEach(
            b -> {
              int rows = (Integer) b.get("rows");
              b.put("bad_rate", rows == 0 ? 0.0 : (Integer) b.get("bad") / (double) rows);
            });
    out.put("bands", perBand);
    return out;
  }

  private Map<String, Object> publish(Federation fed) {
    int n = binning.selected().size();
    double base = spec.scorecard().scaling().basePointsPerCharacteristic(lr.model().intercept(), n);
    ScorecardBase message =
        ScorecardBase.newBuilder()
            .setBasePointsPerCharacteristic(base)
            .setCharacteristics(n)
            .build();
    for (PartyId p : providers) {
      if (spec.scorecard().publishes(p.name())) {
        fed.send(p, BASE, message);
      }
    }
    if (spec.scorecard().publishes(self)) {
      part =
          part(
              self,
              own,
              lr.model().featureNames(),
              lr.model().weights(),
              spec.scorecard().scaling(),
              base,
              n);
    }
    ScorecardRules rules =
        new ScorecardRules(spec.scorecard().scaling(), spec.scorecard().bands(), n, base);
    Map<String, Object> shard =
        new LinkedHashMap<>(
            lr.servingModel(Optional.of(rules), Optional.ofNullable(part)).toShard());
    shard.put("scorecard_characteristics", own.size());
    shard.put("scorecard_published", part != null);
    return shard;
  }

  /**
   * A party's points tables, its characteristics named {@code party/column}.
   *
   * @param names the LR's column names, in weight order
   */
  static PartyScorecard part(
      String party,
      List<WoeColumn> columns,
      List<String> names,
      double[] weights,
      ScorecardScaling scaling,
      double base,
      int characteristics) {
    Map<String, Double> w = new LinkedHashMap<>();
    for (int j = 0; j < weights.length; j++) {
      w.put(party + "/" + names.get(j), weights[j]);
    }
    List<WoeColumn> qualified = new ArrayList<>();
    for (WoeColumn c : columns) {
      ColumnBins b = c.bins();
      qualified.add(
          new WoeColumn(
              new ColumnBins(party + "/" + b.column(), b.cutPoints(), b.indicator()),
              c.rows(),
              c.woe()));
    }
    return PartyScorecard.build(party, qualified, w, scaling, base, characteristics);
  }

  /** The bank's published points tables, after {@code publish}; empty if it does not publish. */
  public Optional<PartyScorecard> publishedPart() {
    return Optional.ofNullable(part);
  }

  /** The hold-out rows' scores ({@code offset − factor·logit}), after {@code evaluate}. */
  public double[] holdoutScores() {
    if (holdoutScores == null) {
      throw new IllegalStateException("the evaluate step has not run");
    }
    return holdoutScores.clone();
  }

  @Override
  public List<String> holdoutIds() {
    return lr.holdoutIds();
  }

  @Override
  public double[] holdoutProbabilities() {
    return lr.holdoutProbabilities();
  }

  @Override
  public Map<String, Object> modelSummary() {
    return lr.modelSummary();
  }
}
