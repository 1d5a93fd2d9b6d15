package org.fedcredit.modelzoo.serving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;

/**
 * The bank's part of a vertical LR or scorecard model: its own columns (encoder, weights, training
 * means), the intercept, the feature parties whose partial margins complete the margin, and for a
 * scorecard the scaling and bands.
 *
 * <p>Shard keys, besides the common ones: those of {@link LinearFeatureModel} for the bank's
 * columns, {@code intercept}, {@code feature_parties}; for a scorecard {@code scorecard: {scaling:
 * {pdo, base_score, base_odds}, bands: {names, lower_bounds}, characteristics,
 * base_points_per_characteristic}} and, if the bank publishes its points, {@code scorecard_points}.
 *
 * @param rules the scorecard's scaling and bands (scorecard jobs only)
 * @param points the bank's own points tables (if it publishes them)
 */
public record LinearBankModel(
    String job,
    String party,
    String algorithm,
    RowEncoder encoder,
    double[] weights,
    double[] trainingMeans,
    double intercept,
    List<String> featureParties,
    Optional<ScorecardRules> rules,
    Optional<PartyScorecard> points)
    implements BankModel {

  /** What the parts are sent to, in messages. */
  private static final String MODEL = "a linear model";

  public LinearBankModel {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(points, "points");
    weights = weights.clone();
    trainingMeans = trainingMeans.clone();
    featureParties = List.copyOf(featureParties);
    new LinearColumns(encoder, weights, trainingMeans); // validates the sizes
  }

  private LinearColumns columns() {
    return new LinearColumns(encoder, weights, trainingMeans);
  }

  /** {@inheritDoc} Sums in the order {@link #score} does, so the result is the same double. */
  @Override
  public double margin(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts) {
    for (String p : featureParties) {
      FeatureParts.one(parts, p, featureParties, LinearPart.class, MODEL);
    }
    FeatureParts.noOthers(parts, featureParties, job);
    double[] z = encoder.encode(raw);
    double u = intercept;
    for (int j = 0; j < z.length; j++) {
      u += weights[j] * z[j];
    }
    for (String p : featureParties) {
      u += ((LinearPart) parts.get(p)).margin();
    }
    return u;
  }

  /** Scores one application; {@code parts} must hold a {@link LinearPart} per feature party. */
  @Override
  public LinearScore score(Map<String, Double> raw, Map<String, ? extends FeaturePart> parts) {
    Map<String, LinearPart> linear =
        FeatureParts.require(parts, featureParties, LinearPart.class, MODEL, job);
    List<LinearTerm> terms = columns().terms(raw);
    double u = LinearColumns.margin(intercept, terms);
    for (String p : featureParties) {
      u += linear.get(p).margin();
    }
    double margin = u;
    return new LinearScore(margin, intercept, terms, linear, rules.map(r -> r.score(margin)));
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("format", FORMAT);
    s.put("job", job);
    s.put("party", party);
    s.put("role", "label-party");
    s.put("algorithm", algorithm);
    columns().write(s);
    s.put("intercept", intercept);
    s.put("feature_parties", featureParties);
    rules.ifPresent(
        r -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("scaling", ScorecardShards.scaling(r.scaling()));
          m.put("bands", ScorecardShards.bands(r.bands()));
          m.put("characteristics", r.characteristics());
          m.put("base_points_per_characteristic", r.basePointsPerCharacteristic());
          s.put("scorecard", m);
        });
    points.ifPresent(c -> s.put("scorecard_points", ScorecardShards.card(c)));
    return s;
  }

  static LinearBankModel fromShard(ShardFields f) {
    LinearColumns c = LinearColumns.read(f);
    String algorithm = f.string("algorithm");
    Optional<ScorecardRules> rules = Optional.empty();
    if (algorithm.equals("scorecard")) {
      ShardFields r = f.object("scorecard");
      rules =
          Optional.of(
              new ScorecardRules(
                  ScorecardShards.scaling(r.object("scaling")),
                  ScorecardShards.bands(r.object("bands")),
                  r.integer("characteristics"),
                  r.number("base_points_per_characteristic")));
    }
    Optional<PartyScorecard> points =
        f.has("scorecard_points")
            ? Optional.of(ScorecardShards.card(f.object("scorecard_points")))
            : Optional.empty();
    return new LinearBankModel(
        f.string("job"),
        f.string("party"),
        algorithm,
        c.encoder(),
        c.weights(),
        c.trainingMeans(),
        f.number("intercept"),
        f.strings("feature_parties"),
        rules,
        points);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[] trainingMeans() {
    return trainingMeans.clone();
  }
}
