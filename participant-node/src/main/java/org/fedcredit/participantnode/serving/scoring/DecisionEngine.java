package org.fedcredit.participantnode.serving.scoring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.modelzoo.scorecard.ScorecardScaling;
import org.fedcredit.modelzoo.serving.BankModel;
import org.fedcredit.modelzoo.serving.BankScore;
import org.fedcredit.modelzoo.serving.FeaturePart;
import org.fedcredit.modelzoo.serving.LinearBankModel;
import org.fedcredit.modelzoo.serving.LinearScore;
import org.fedcredit.modelzoo.serving.LinearTerm;
import org.fedcredit.modelzoo.serving.ScoringException;
import org.fedcredit.modelzoo.serving.TreeScore;
import org.fedcredit.participantnode.config.ServingConfig;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.xaiexplainer.Counterfactuals;
import org.fedcredit.xaiexplainer.FeatureSpec;
import org.fedcredit.xaiexplainer.ReasonCodeCatalogue;
import org.fedcredit.xaiexplainer.ReasonCodes;
import org.fedcredit.xaiexplainer.ReasonFamily;
import org.fedcredit.xaiexplainer.ShapValues;
import org.fedcredit.xaiexplainer.TreeShap;

/**
 * The bank's decision on one application (docs/protocols/serving.md): ask every feature party for
 * its part (one round trip each, in parallel), score with the bank's shard, explain (exact linear
 * SHAP or TreeSHAP, per column or per party block as each party allows), apply the decision rule,
 * give the principal reasons of a refusal and counterfactual suggestions re-scored by the model,
 * and store the decision as issued.
 */
public final class DecisionEngine {

  /**
   * The counterfactual search an online decision affords: up to 3 suggestions of at most 2 changed
   * characteristics (a borrower acts on one or two), 10 grid values, beam 4, 4 values per
   * characteristic, 24 bisection steps — a few hundred re-scorings at most, so that a refusal's
   * suggestions cost milliseconds, not tens of them (Counterfactuals.Options for the trade-offs).
   */
  static final Counterfactuals.Options SEARCH = new Counterfactuals.Options(3, 2, 10, 4, 4, 24);

  /** What the explanation's numbers are in. */
  public static final String SPACE = "log-odds of default";

  private final BankModel model;
  private final String modelVersion;
  private final FeaturePartsClient parties;
  private final Duration timeout;
  private final ServingConfig.DecisionRule rule;
  private final ReasonCodeCatalogue catalogue;
  private final Map<String, ServingConfig.Actionable> actionable;
  private final DecisionStore store;
  private volatile java.util.function.BiConsumer<Decision, DecisionStore.Stored> onStored;
  private final Clock clock;
  private final ScorecardScaling scaling;
  private final String bank;

  /**
   * @param model the bank's shard
   * @param modelVersion the shard's version (its SHA-256 prefix), stored with every decision
   * @param parties the feature parties' clients; must cover the model's feature parties
   * @param timeout how long to wait for all parts
   * @param rule the decision rule
   * @param catalogue the reason codes; must cover every characteristic of the model
   * @param actionable the applicant's characteristics suggestions may change
   * @param store where decisions are recorded
   * @param clock decision times
   * @throws IllegalArgumentException if a feature party has no client, an actionable column is not
   *     one of the bank's columns
   */
  public DecisionEngine(
      BankModel model,
      String modelVersion,
      FeaturePartsClient parties,
      Duration timeout,
      ServingConfig.DecisionRule rule,
      ReasonCodeCatalogue catalogue,
      Map<String, ServingConfig.Actionable> actionable,
      DecisionStore store,
      Clock clock) {
    this.model = Objects.requireNonNull(model, "model");
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    this.parties = Objects.requireNonNull(parties, "parties");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.actionable = Map.copyOf(actionable);
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.bank = model.party();
    for (String p : model.featureParties()) {
      if (!parties.parties().contains(p)) {
        throw new IllegalArgumentException(
            "model "
                + model.job()
                + " needs feature party "
                + p
                + ", which serving.parties does not list; add "
                + p
                + ": host:port");
      }
    }
    for (String c : actionable.keySet()) {
      if (!bankColumns().contains(c)) {
        throw new IllegalArgumentException(
            "serving.actionable names '"
                + c
                + "', which is not one of the bank's model columns "
                + bankColumns());
      }
    }
    this.scaling =
        model instanceof LinearBankModel l && l.rules().isPresent()
            ? l.rules().get().scaling()
            : ScorecardScaling.defaults();
  }

  /** The bank's raw columns an application may give, in model order. */
  public List<String> bankColumns() {
    return model.encoder().rawColumns();
  }

  /** The model this engine decides with. */
  public Decision.ModelRef modelRef() {
    return new Decision.ModelRef(model.job(), modelVersion, model.algorithm());
  }

  /**
   * Checks an application's fields: only the bank's model columns, finite numbers.
   *
   * @throws ApplicationException naming the field and how to fix it
   */
  public Map<String, Double> validate(String enterpriseId, Map<String, Double> fields) {
    if (enterpriseId == null || enterpriseId.isBlank()) {
      throw new ApplicationException(
          "enterprise_id is missing; give the applicant's enterprise id");
    }
    if (enterpriseId.length() > 128) {
      throw new ApplicationException("enterprise_id is longer than 128 characters");
    }
    List<String> cols = bankColumns();
    Map<String, Double> raw = new LinkedHashMap<>();
    for (var e : fields.entrySet()) {
      if (!cols.contains(e.getKey())) {
        throw new ApplicationException(
            "fields."
                + e.getKey()
                + " is not a field of model "
                + model.job()
                + "; its fields are "
                + cols);
      }
      Double v = e.getValue();
      if (v != null && Double.isInfinite(v)) {
        throw new ApplicationException("fields." + e.getKey() + " is infinite; give a number");
      }
    }
    for (String c : cols) {
      Double v = fields.get(c);
      raw.put(c, v == null ? Double.NaN : v);
    }
    return raw;
  }

  /**
   * Decides on an application and stores the decision.
   *
   * @param enterpriseId the applicant
   * @param fields the bank's fields of the application (a missing field is a missing value)
   * @param suggest whether to compute counterfactual suggestions for a refusal
   * @throws ApplicationException if the application is malformed (nothing is stored)
   */
  public Decision decide(String enterpriseId, Map<String, Double> fields, boolean suggest) {
    return decideAndWrite(enterpriseId, fields, suggest).decision();
  }

  /**
   * A decision and its JSON as stored.
   *
   * @param decision the decision
   * @param stored its JSON as stored, in UTF-8 and its hash
   */
  public record Issued(Decision decision, DecisionStore.Stored stored) {
    /** {@link org.fedcredit.participantnode.serving.DecisionJson#write} of the decision. */
    public String json() {
      return stored.json();
    }
  }

  /**
   * Hands every decision, once stored, and its JSON's hash to {@code sink} (the audit reporter);
   * the sink must not block.
   */
  public void onStored(java.util.function.BiConsumer<Decision, DecisionStore.Stored> sink) {
    this.onStored = Objects.requireNonNull(sink, "sink");
  }

  private Issued stored(Decision d) {
    DecisionStore.Stored s = store.saveAndWrite(d);
    java.util.function.BiConsumer<Decision, DecisionStore.Stored> sink = onStored;
    if (sink != null) {
      sink.accept(d, s);
    }
    return new Issued(d, s);
  }

  /** {@link #decide}, with the decision's JSON written once for the store and the caller. */
  public Issued decideAndWrite(String enterpriseId, Map<String, Double> fields, boolean suggest) {
    Map<String, Double> raw = validate(enterpriseId, fields);
    String token = DecisionTokens.newToken();
    FeaturePartsClient.Fetched fetched =
        parties.fetch(model.job(), modelVersion, enterpriseId, token, timeout);
    Decision d;
    if (fetched instanceof FeaturePartsClient.Missing m) {
      d = cannotDecide(token, enterpriseId, String.join("; ", m.reasons().values()));
    } else {
      Map<String, PartMessages.Received> received = ((FeaturePartsClient.Parts) fetched).byParty();
      Map<String, FeaturePart> parts = new HashMap<>();
      received.forEach((p, r) -> parts.put(p, r.part()));
      BankScore score;
      try {
        score = model.score(raw, parts);
      } catch (ScoringException e) {
        d = cannotDecide(token, enterpriseId, e.getMessage());
        return stored(d);
      }
      d = decided(token, enterpriseId, raw, parts, received, score, suggest);
    }
    return stored(d);
  }

  private Decision cannotDecide(String token, String enterpriseId, String why) {
    return new Decision(
        token,
        clock.instant(),
        enterpriseId,
        modelRef(),
        Decision.Outcome.CANNOT_DECIDE,
        Double.NaN,
        Double.NaN,
        "",
        null,
        List.of(),
        List.of(),
        Map.of(
            "en",
            "We cannot decide on this application now: " + why + ". No score was computed.",
            "zh",
            "目前无法对该申请作出决定：" + why + "。未计算任何评分。"));
  }

  private Decision decided(
      String token,
      String enterpriseId,
      Map<String, Double> raw,
      Map<String, FeaturePart> parts,
      Map<String, PartMessages.Received> received,
      BankScore score,
      boolean suggest) {
    double margin = score.margin();
    double pd = score.probability();
    double points;
    String band = "";
    if (score instanceof LinearScore ls && ls.card().isPresent()) {
      points = ls.card().get().score();
      band = ls.card().get().band();
    } else {
      points = scaling.score(margin);
    }
    boolean approved = approves(margin, pd, points);
    Decision.Explanation explanation = explain(score, received);
    List<Decision.Reason> reasons = approved ? List.of() : reasons(explanation);
    List<Decision.Counterfactual> suggestions =
        approved || !suggest ? List.of() : suggestions(raw, parts, margin);
    return new Decision(
        token,
        clock.instant(),
        enterpriseId,
        modelRef(),
        approved ? Decision.Outcome.APPROVED : Decision.Outcome.REFUSED,
        pd,
        points,
        band,
        explanation,
        reasons,
        suggestions,
        Map.of());
  }

  private boolean approves(double margin, double pd, double points) {
    return rule.maxProbability().map(p -> pd <= p).orElseGet(() -> points >= rule.minScore().get());
  }

  /** The margin at or below which an application is approved. */
  private double threshold() {
    if (rule.maxProbability().isPresent()) {
      double p = rule.maxProbability().get();
      return Math.log(p / (1 - p));
    }
    // score = offset − factor·margin ≥ min  ⇔  margin ≤ (offset − min) / factor
    return (scaling.offset() - rule.minScore().get()) / scaling.factor();
  }

  // ---- explanation ------------------------------------------------------------------------

  private Decision.Explanation explain(
      BankScore score, Map<String, PartMessages.Received> received) {
    Map<String, Double> byKey = new LinkedHashMap<>();
    double base;
    if (score instanceof LinearScore ls) {
      base = ls.intercept();
      for (LinearTerm t : ls.bankTerms()) {
        base += t.weight() * t.trainingMean();
        byKey.merge(bank + ":" + t.sourceColumn(), t.attribution(), Double::sum);
      }
      for (String p : model.featureParties()) {
        PartMessages.Received r = received.get(p);
        base += r.baseShare();
        r.attributions().forEach((c, v) -> byKey.merge(p + ":" + c, v, Double::sum));
      }
    } else {
      TreeScore ts = (TreeScore) score;
      List<String> groups = new ArrayList<>();
      Map<String, Integer> groupOf = new HashMap<>();
      List<TreeShap.Tree> trees = new ArrayList<>();
      int[][] hot = new int[ts.trees().size()][];
      for (int t = 0; t < ts.trees().size(); t++) {
        List<TreeScore.ExplainedNode> nodes = ts.trees().get(t).nodes();
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
          index.put(nodes.get(i).id(), i);
        }
        int n = nodes.size();
        int[] left = new int[n];
        int[] right = new int[n];
        int[] group = new int[n];
        double[] cover = new double[n];
        double[] value = new double[n];
        hot[t] = new int[n];
        for (int i = 0; i < n; i++) {
          TreeScore.ExplainedNode e = nodes.get(i);
          cover[i] = e.cover();
          if (e.leaf()) {
            left[i] = -1;
            right[i] = -1;
            value[i] = e.value();
            continue;
          }
          left[i] = index.get(e.left());
          right[i] = index.get(e.right());
          String key = e.owner() + ":" + e.column().orElse(PartMessages.BLOCK);
          Integer g = groupOf.get(key);
          if (g == null) {
            g = groups.size();
            groups.add(key);
            groupOf.put(key, g);
          }
          group[i] = g;
          hot[t][i] = e.goesLeft().orElseThrow() ? left[i] : right[i];
        }
        trees.add(new TreeShap.Tree(left, right, group, cover, value));
      }
      TreeShap shap = new TreeShap(trees, ts.base(), groups.size());
      ShapValues v = shap.explain(hot);
      base = v.baseValue();
      byKey.putAll(v.byName(groups));
    }
    List<Decision.Contribution> contributions = new ArrayList<>();
    byKey.forEach(
        (key, v) -> {
          String party = key.substring(0, key.indexOf(':'));
          boolean block = key.endsWith(":" + PartMessages.BLOCK);
          contributions.add(new Decision.Contribution(key, party, block, label(key), v));
        });
    return new Decision.Explanation(SPACE, base, score.margin(), contributions);
  }

  /** The display name of a characteristic: its reason family's text, with the column if shared. */
  private Map<String, String> label(String key) {
    Optional<ReasonFamily> f = catalogue.familyOf(key);
    if (f.isEmpty()) {
      return Map.of("en", key, "zh", key);
    }
    ReasonFamily fam = f.get();
    boolean shared = fam.characteristics().size() > 1 && !key.endsWith(":" + PartMessages.BLOCK);
    String col = key.substring(key.indexOf(':') + 1);
    return Map.of(
        "en", shared ? fam.en() + " (" + col + ")" : fam.en(),
        "zh", shared ? fam.zh() + "（" + col + "）" : fam.zh());
  }

  private List<Decision.Reason> reasons(Decision.Explanation e) {
    Map<String, Double> byKey = new LinkedHashMap<>();
    for (Decision.Contribution c : e.contributions()) {
      byKey.put(c.key(), c.value());
    }
    List<Decision.Reason> out = new ArrayList<>();
    for (ReasonCodes.Reason r : ReasonCodes.principal(byKey, catalogue)) {
      out.add(new Decision.Reason(r.code(), Map.of("en", r.en(), "zh", r.zh()), r.contribution()));
    }
    return out;
  }

  // ---- counterfactuals -----------------------------------------------------------------------

  private List<Decision.Counterfactual> suggestions(
      Map<String, Double> raw, Map<String, FeaturePart> parts, double margin) {
    List<String> cols = new ArrayList<>();
    List<FeatureSpec> specs = new ArrayList<>();
    for (var e : actionable.entrySet()) {
      double x = raw.get(e.getKey());
      if (Double.isNaN(x)) {
        continue; // a missing value has nothing to move from
      }
      ServingConfig.Actionable a = e.getValue();
      double min = a.min().orElse(Double.NEGATIVE_INFINITY);
      double max = a.max().orElse(Double.POSITIVE_INFINITY);
      if (a.min().isEmpty() || a.max().isEmpty()) {
        // An open side: allow moving as far as the value's own magnitude (at least 1).
        double span = Math.max(1, Math.abs(x)) * 2;
        min = a.min().orElse(Math.min(x, x - span));
        max = a.max().orElse(Math.max(x, x + span));
      }
      if (x < min || x > max) {
        continue; // outside the declared bounds: suggestions could not keep them
      }
      double scale =
          a.min().isPresent() && a.max().isPresent() ? max - min : Math.max(1, Math.abs(x));
      FeatureSpec.Direction dir =
          switch (a.direction()) {
            case UP -> FeatureSpec.Direction.UP;
            case DOWN -> FeatureSpec.Direction.DOWN;
            case BOTH -> FeatureSpec.Direction.BOTH;
          };
      cols.add(e.getKey());
      specs.add(
          new FeatureSpec(e.getKey(), true, min, max, dir, a.integer(), scale, new double[0]));
    }
    if (specs.isEmpty()) {
      return List.of();
    }
    double[] applicant = new double[cols.size()];
    for (int j = 0; j < applicant.length; j++) {
      applicant[j] = raw.get(cols.get(j));
    }
    java.util.function.ToDoubleFunction<double[]> f =
        row -> model.margin(withRow(raw, cols, row), parts);
    Counterfactuals.Recourse r = new Counterfactuals(specs, f, threshold(), SEARCH).find(applicant);
    List<Decision.Counterfactual> out = new ArrayList<>();
    for (Counterfactuals.Suggestion s : r.suggestions()) {
      // Re-scored with the real model (the bank's shard and the parties' parts of this decision).
      BankScore again = model.score(withRow(raw, cols, s.apply(applicant)), parts);
      double newPoints =
          again instanceof LinearScore ls && ls.card().isPresent()
              ? ls.card().get().score()
              : scaling.score(again.margin());
      if (!approves(again.margin(), again.probability(), newPoints)) {
        continue;
      }
      List<Decision.Change> changes = new ArrayList<>();
      for (Counterfactuals.Change c : s.changes()) {
        changes.add(new Decision.Change(c.name(), label(bank + ":" + c.name()), c.from(), c.to()));
      }
      out.add(new Decision.Counterfactual(changes, newPoints, again.probability()));
    }
    return out;
  }

  /**
   * {@code raw} with the columns {@code cols} taking the values {@code row}: a view for one
   * re-scoring, not a copy (a refusal's search re-scores a few hundred candidate rows).
   */
  private static Map<String, Double> withRow(
      Map<String, Double> raw, List<String> cols, double[] row) {
    return new java.util.AbstractMap<>() {
      @Override
      public Double get(Object column) {
        int j = cols.indexOf(column);
        return j >= 0 ? Double.valueOf(row[j]) : raw.get(column);
      }

      @Override
      public boolean containsKey(Object column) {
        return cols.contains(column) || raw.containsKey(column);
      }

      @Override
      public java.util.Set<Map.Entry<String, Double>> entrySet() {
        Map<String, Double> m = new LinkedHashMap<>(raw);
        for (int j = 0; j < row.length; j++) {
          m.put(cols.get(j), row[j]);
        }
        return m.entrySet();
      }
    };
  }

  /** A malformed application: nothing was decided or stored. */
  public static final class ApplicationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ApplicationException(String message) {
      super(message);
    }
  }
}
