package org.fedcredit.modelzoo.serving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;

/**
 * A feature party's part of a vertical LR or scorecard model: its encoder (fitted preprocessing or
 * WOE), a weight and a training mean per model column. {@link #part} gives the partial margin
 * {@code Σ w_k·z_k} the batch evaluation sent for the same row.
 *
 * <p>Shard keys, besides the common ones: {@code feature_names} (model columns), {@code weights},
 * {@code training_means}, {@code source_columns} (raw column per model column), {@code encoder}
 * (see {@link PreprocessingEncoder}, {@link WoeEncoder}); a scorecard party that publishes its
 * points also {@code scorecard_points}.
 *
 * @param points the party's points tables (scorecard jobs where the party publishes them)
 */
public record LinearFeatureModel(
    String job,
    String party,
    String algorithm,
    RowEncoder encoder,
    double[] weights,
    double[] trainingMeans,
    Optional<PartyScorecard> points)
    implements FeatureModel {

  public LinearFeatureModel {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(points, "points");
    weights = weights.clone();
    trainingMeans = trainingMeans.clone();
    new LinearColumns(encoder, weights, trainingMeans); // validates the sizes
  }

  private LinearColumns columns() {
    return new LinearColumns(encoder, weights, trainingMeans);
  }

  @Override
  public LinearPart part(Map<String, Double> raw, boolean discloseColumns) {
    List<LinearTerm> terms = columns().terms(raw);
    double reference = 0;
    for (int j = 0; j < weights.length; j++) {
      reference += weights[j] * trainingMeans[j];
    }
    LinearPart p = new LinearPart(party, LinearColumns.margin(0, terms), reference, terms);
    return discloseColumns ? p : p.withoutTerms();
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("format", FORMAT);
    s.put("job", job);
    s.put("party", party);
    s.put("role", "feature-party");
    s.put("algorithm", algorithm);
    columns().write(s);
    points.ifPresent(c -> s.put("scorecard_points", ScorecardShards.card(c)));
    return s;
  }

  static LinearFeatureModel fromShard(ShardFields f) {
    LinearColumns c = LinearColumns.read(f);
    Optional<PartyScorecard> points =
        f.has("scorecard_points")
            ? Optional.of(ScorecardShards.card(f.object("scorecard_points")))
            : Optional.empty();
    return new LinearFeatureModel(
        f.string("job"),
        f.string("party"),
        f.string("algorithm"),
        c.encoder(),
        c.weights(),
        c.trainingMeans(),
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
