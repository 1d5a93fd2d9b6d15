package org.fedcredit.modelzoo.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.job.ScorecardLabelProgram;
import org.fedcredit.modelzoo.scorecard.ScoreBands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of online decisions: for each algorithm, a job runs in the in-memory simulation,
 * and every hold-out row scored from its raw values through the published shards (the provider's
 * {@link FeatureModel} part, then the bank's {@link BankModel}) gets the probability the job's
 * batch evaluation computed, to 1e-9 — from the shard maps as published and after a JSON round
 * trip.
 */
class ServedModelMatchesBatchTest {

  static final double EXACT = 1e-9;

  static ServedJobs.Outcome lr;

  @TempDir Path dir;

  @BeforeAll
  static void trainLr() {
    lr =
        ServedJobs.run(
            "vertical-lr",
            Map.of(
                "impute", Map.of("strategy", "mean", "indicator", true),
                "bins", Map.of("count", 5, "encoding", "one-hot")),
            Map.of("impute", "mean", "standardize", true));
  }

  /** The served probability of every hold-out row, through the two models. */
  static double[] serve(ServedJobs.Outcome o, BankModel bank, FeatureModel provider) {
    List<String> ids = o.scores().holdoutIds();
    double[] p = new double[ids.size()];
    for (int i = 0; i < p.length; i++) {
      FeaturePart part = provider.part(ServedJobs.rawRow(o.provider(), ids.get(i)), true);
      p[i] =
          bank.score(ServedJobs.rawRow(o.bank(), ids.get(i)), Map.of("provider", part))
              .probability();
    }
    return p;
  }

  static PartyModel viaJson(Map<String, Object> shard) {
    return PartyModel.fromShard(
        ShardFiles.fromJson(ShardFiles.toJson(shard), "round trip"), "round trip");
  }

  static void assertMatchesBatch(ServedJobs.Outcome o) {
    double[] batch = o.scores().holdoutProbabilities();
    assertThat(batch).hasSize(ServedJobs.ROWS / 4);
    PartyModel bank = PartyModel.fromShard(o.shards().get("bank"));
    PartyModel provider = PartyModel.fromShard(o.shards().get("provider"));
    assertThat(bank).isInstanceOf(BankModel.class);
    assertThat(provider).isInstanceOf(FeatureModel.class);
    assertThat(serve(o, (BankModel) bank, (FeatureModel) provider))
        .containsExactly(batch, within(EXACT));
    double[] json =
        serve(
            o,
            (BankModel) viaJson(o.shards().get("bank")),
            (FeatureModel) viaJson(o.shards().get("provider")));
    assertThat(json).containsExactly(batch, within(EXACT));
  }

  @Test
  void verticalLrDecisionsEqualTheBatchHoldoutPredictions() {
    assertThat(lr.shards().get("bank")).containsEntry("format", PartyModel.FORMAT);
    assertMatchesBatch(lr);
  }

  @Test
  void linearTermsAddUpToTheMarginAndMapBackToRawColumns() {
    LinearBankModel bank = (LinearBankModel) viaJson(lr.shards().get("bank"));
    LinearFeatureModel provider = (LinearFeatureModel) viaJson(lr.shards().get("provider"));
    // the bank's one-hot bins and missing indicators map back to the raw columns
    assertThat(bank.encoder().modelColumns()).contains("x3__bin0", "x3__missing__bin0");
    assertThat(bank.encoder().sourceColumns())
        .isSubsetOf(lr.bank().featureNames())
        .hasSize(bank.encoder().modelColumns().size());
    String id = lr.scores().holdoutIds().get(0); // row 0: x3 blanked at the bank
    LinearPart part = provider.part(ServedJobs.rawRow(lr.provider(), id), true);
    LinearScore s = bank.score(ServedJobs.rawRow(lr.bank(), id), Map.of("provider", part));
    double base = s.intercept();
    double attributions = 0;
    for (LinearTerm t : s.bankTerms()) {
      base += t.weight() * t.trainingMean();
      attributions += t.attribution();
    }
    for (LinearTerm t : part.terms()) {
      base += t.weight() * t.trainingMean();
      attributions += t.attribution();
    }
    assertThat(base + attributions).isCloseTo(s.margin(), within(EXACT));
    double partial = 0;
    for (LinearTerm t : part.terms()) {
      partial += t.term();
    }
    assertThat(part.margin()).isCloseTo(partial, within(EXACT));
    // the provider as one block: margin − reference = Σ of its terms' attributions
    double block = 0;
    for (LinearTerm t : part.terms()) {
      block += t.attribution();
    }
    assertThat(part.attribution()).isCloseTo(block, within(EXACT));
    // without disclosure the part is the partial margin alone, and scores the same
    LinearPart bare = provider.part(ServedJobs.rawRow(lr.provider(), id), false);
    assertThat(bare.terms()).isEmpty();
    assertThat(bank.score(ServedJobs.rawRow(lr.bank(), id), Map.of("provider", bare)).probability())
        .isEqualTo(s.probability());
  }

  @Test
  void aChangedWeightChangesTheDecisionSoTheComparisonCanFail() {
    Map<String, Object> shard =
        ShardFiles.fromJson(ShardFiles.toJson(lr.shards().get("provider")), "mutated");
    @SuppressWarnings("unchecked")
    List<Object> weights = (List<Object>) shard.get("weights");
    weights.set(0, ((Number) weights.get(0)).doubleValue() + 0.5);
    double[] served =
        serve(
            lr,
            (BankModel) PartyModel.fromShard(lr.shards().get("bank")),
            (FeatureModel) PartyModel.fromShard(shard));
    double[] batch = lr.scores().holdoutProbabilities();
    double worst = 0;
    for (int i = 0; i < batch.length; i++) {
      worst = Math.max(worst, Math.abs(served[i] - batch[i]));
    }
    assertThat(worst).isGreaterThan(1e-3);
  }

  @Test
  void secureBoostDecisionsEqualTheBatchHoldoutPredictions() {
    ServedJobs.Outcome o = ServedJobs.run("secureboost", Map.of(), Map.of("standardize", true));
    assertMatchesBatch(o);

    TreeBankModel bank = (TreeBankModel) viaJson(o.shards().get("bank"));
    TreeFeatureModel provider = (TreeFeatureModel) viaJson(o.shards().get("provider"));
    assertThat(provider.splits()).isNotEmpty();
    int trainRows = ServedJobs.ROWS - ServedJobs.ROWS / 4;
    for (TreeBankModel.StoredTree t : bank.trees()) {
      assertThat(t.nodes().get(0).cover()).isEqualTo(trainRows);
      t.nodes()
          .forEach(
              (id, n) -> {
                if (!(n instanceof TreeBankModel.Leaf)) {
                  assertThat(t.nodes().get(2 * id + 1).cover() + t.nodes().get(2 * id + 2).cover())
                      .isEqualTo(n.cover());
                }
              });
    }
    // Walking the explained trees by the directions reaches leaves whose values sum to the margin.
    for (String id : o.scores().holdoutIds().subList(0, 20)) {
      TreePart part = provider.part(ServedJobs.rawRow(o.provider(), id), true);
      TreePart bare = provider.part(ServedJobs.rawRow(o.provider(), id), false);
      assertThat(bare.splitColumns()).isEmpty();
      assertThat(part.splitColumns().values()).isSubsetOf(o.provider().featureNames());
      TreeScore s = bank.score(ServedJobs.rawRow(o.bank(), id), Map.of("provider", part));
      double sum = s.base();
      for (TreeScore.ExplainedTree t : s.trees()) {
        Map<Integer, TreeScore.ExplainedNode> byId = new HashMap<>();
        t.nodes().forEach(n -> byId.put(n.id(), n));
        TreeScore.ExplainedNode n = byId.get(0);
        while (!n.leaf()) {
          assertThat(n.owner().equals("provider") || n.column().isPresent()).isTrue();
          n = byId.get(n.goesLeft().orElseThrow() ? n.left() : n.right());
        }
        sum += n.value();
      }
      assertThat(sum).isCloseTo(s.margin(), within(EXACT));
      assertThat(bank.score(ServedJobs.rawRow(o.bank(), id), Map.of("provider", bare)).margin())
          .isEqualTo(s.margin());
    }
  }

  @Test
  void scorecardDecisionsEqualTheBatchHoldoutPredictionsAndScores() {
    ServedJobs.Outcome o = ServedJobs.run("scorecard", Map.of(), Map.of());
    assertMatchesBatch(o);
    LinearBankModel bank = (LinearBankModel) viaJson(o.shards().get("bank"));
    LinearFeatureModel provider = (LinearFeatureModel) viaJson(o.shards().get("provider"));
    assertThat(bank.points()).isPresent();
    assertThat(provider.points()).isPresent();
    double[] scores = ((ScorecardLabelProgram) o.bankProgram()).holdoutScores();
    ScoreBands bands = bank.rules().orElseThrow().bands();
    List<String> ids = o.scores().holdoutIds();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, Double> bankRow = ServedJobs.rawRow(o.bank(), ids.get(i));
      Map<String, Double> providerRow = ServedJobs.rawRow(o.provider(), ids.get(i));
      LinearScore s = bank.score(bankRow, Map.of("provider", provider.part(providerRow, true)));
      ScorecardRules.CardScore card = s.card().orElseThrow();
      assertThat(card.score()).isCloseTo(scores[i], within(EXACT));
      assertThat(card.band()).isEqualTo(bands.band(scores[i]));
      // the published points tables (characteristics named party/column) add up to the score
      double points =
          bank.points().orElseThrow().partialScore(qualified("bank", bankRow))
              + provider.points().orElseThrow().partialScore(qualified("provider", providerRow));
      assertThat(points).isCloseTo(card.score(), within(1e-6));
    }
  }

  static Map<String, Double> qualified(String party, Map<String, Double> row) {
    Map<String, Double> out = new HashMap<>();
    row.forEach((k, v) -> out.put(party + "/" + k, v));
    return out;
  }

  @Test
  void aShardFileReadsBackAndBadShardsNameTheFileAndKey() throws Exception {
    Path file = dir.resolve("provider.json");
    ShardFiles.write(lr.shards().get("provider"), file);
    assertThat(PartyModel.read(file)).isInstanceOf(LinearFeatureModel.class);
    assertThat(dir.toFile().list()).containsExactly("provider.json");

    Map<String, Object> noWeights = new LinkedHashMap<>(lr.shards().get("provider"));
    noWeights.remove("weights");
    Path bad = dir.resolve("bad.json");
    ShardFiles.write(noWeights, bad);
    assertThatThrownBy(() -> PartyModel.read(bad))
        .isInstanceOf(ShardFormatException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("weights: missing");

    Map<String, Object> old = new LinkedHashMap<>(lr.shards().get("bank"));
    old.remove("format");
    assertThatThrownBy(() -> PartyModel.fromShard(old, "old.json"))
        .isInstanceOf(ShardFormatException.class)
        .hasMessageContaining("old.json")
        .hasMessageContaining("no 'format' key");

    Map<String, Object> future = new LinkedHashMap<>(lr.shards().get("bank"));
    future.put("format", "fedcredit-shard/9");
    assertThatThrownBy(() -> PartyModel.fromShard(future, "f.json"))
        .hasMessageContaining("f.json: format: 'fedcredit-shard/9' is not supported");

    Map<String, Object> typo = ShardFiles.fromJson(ShardFiles.toJson(lr.shards().get("bank")), "t");
    @SuppressWarnings("unchecked")
    Map<String, Object> encoder = (Map<String, Object>) typo.get("encoder");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) encoder.get("steps");
    steps.get(0).put("fill_values", "oops");
    assertThatThrownBy(() -> PartyModel.fromShard(typo, "t.json"))
        .hasMessageContaining("t.json: encoder.steps[0].fill_values: expected a list, got 'oops'");

    Files.writeString(bad, "{not json");
    assertThatThrownBy(() -> PartyModel.read(bad))
        .isInstanceOf(ShardFormatException.class)
        .hasMessageContaining(bad + ": not a JSON object");
  }

  @Test
  void theMarginAloneIsTheScoresMarginToTheBit() {
    ServedJobs.Outcome trees = ServedJobs.run("secureboost", Map.of(), Map.of("standardize", true));
    for (ServedJobs.Outcome o : List.of(lr, trees)) {
      BankModel bank = (BankModel) PartyModel.fromShard(o.shards().get("bank"));
      FeatureModel provider = (FeatureModel) PartyModel.fromShard(o.shards().get("provider"));
      for (String id : o.scores().holdoutIds().subList(0, 200)) {
        Map<String, FeaturePart> parts =
            Map.of("provider", provider.part(ServedJobs.rawRow(o.provider(), id), true));
        Map<String, Double> row = ServedJobs.rawRow(o.bank(), id);
        assertThat(bank.margin(row, parts)).isEqualTo(bank.score(row, parts).margin());
      }
    }
    BankModel bank = (BankModel) PartyModel.fromShard(lr.shards().get("bank"));
    String id = lr.scores().holdoutIds().get(1);
    assertThatThrownBy(() -> bank.margin(ServedJobs.rawRow(lr.bank(), id), Map.of()))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("no part from provider");
  }

  @Test
  void missingPartsAndColumnsAreRefusedNotScored() {
    BankModel bank = (BankModel) PartyModel.fromShard(lr.shards().get("bank"));
    FeatureModel provider = (FeatureModel) PartyModel.fromShard(lr.shards().get("provider"));
    String id = lr.scores().holdoutIds().get(1);
    Map<String, Double> bankRow = ServedJobs.rawRow(lr.bank(), id);
    Map<String, Double> providerRow = new LinkedHashMap<>(ServedJobs.rawRow(lr.provider(), id));
    assertThatThrownBy(() -> bank.score(bankRow, Map.of()))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("no part from provider");
    providerRow.remove("x4");
    assertThatThrownBy(() -> provider.part(providerRow, true))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("no value for column 'x4'");
    FeaturePart other = new LinearPart("utility", 0.1, 0.0, List.of());
    assertThatThrownBy(() -> bank.score(bankRow, Map.of("provider", other)))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("computed by utility");
    FeaturePart tree = new TreePart("provider", Map.of(), Map.of());
    assertThatThrownBy(() -> bank.score(bankRow, Map.of("provider", tree)))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("TreePart");
  }
}
