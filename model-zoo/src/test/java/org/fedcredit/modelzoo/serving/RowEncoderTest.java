package org.fedcredit.modelzoo.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.preprocess.FittedPreprocessing;
import org.fedcredit.modelzoo.preprocess.Preprocessing;
import org.fedcredit.modelzoo.secureboost.SplitRule;
import org.junit.jupiter.api.Test;

/**
 * Every preprocessing step survives the shard round trip and encodes a single raw row exactly as
 * the fitted transform encodes the table; bad tree shards are refused with the key named.
 */
class RowEncoderTest {

  static LocalTable table(long seed, int n) {
    Random r = new Random(seed);
    double[][] cols = new double[3][n];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("r" + i);
      cols[0][i] = i % 6 == 0 ? Double.NaN : r.nextGaussian() * 3 + 1;
      cols[1][i] = r.nextInt(4);
      cols[2][i] = i % 4 == 1 ? Double.NaN : r.nextDouble();
    }
    return new LocalTable("t.csv", ids, List.of("a", "b", "c"), cols, null);
  }

  static Map<String, Object> spec(Object impute, boolean standardize, Object bins) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("impute", impute);
    m.put("standardize", standardize);
    m.put("bins", bins);
    return m;
  }

  @Test
  void everyStepRoundTripsAndEncodesRowsLikeTheTable() {
    List<Map<String, Object>> specs =
        List.of(
            spec(Map.of("strategy", "constant", "value", -1, "indicator", true), true, "none"),
            spec("mean", false, Map.of("count", 4, "encoding", "index")),
            spec(
                Map.of("strategy", "mean", "indicator", true),
                true,
                Map.of("count", 3, "encoding", "one-hot")),
            spec("none", false, "none"),
            spec(Map.of("strategy", "mean", "indicator", true), true, "none"),
            spec("mean", true, "none"));
    LocalTable train = table(1, 60);
    LocalTable fresh = table(2, 25);
    int[] rows = new int[60];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    for (Map<String, Object> s : specs) {
      FittedPreprocessing fitted = Preprocessing.fromMap(s).fit(train, rows);
      PreprocessingEncoder encoder = new PreprocessingEncoder(fitted);
      Map<String, Object> shard =
          ShardFiles.fromJson(ShardFiles.toJson(encoder.toShard()), "encoder");
      RowEncoder back = RowEncoder.fromShard(ShardFields.root("encoder.json", shard));
      assertThat(back).isEqualTo(encoder);
      assertThat(back.sourceColumns()).hasSize(back.modelColumns().size());
      LocalTable expected = fitted.apply(fresh);
      for (int i = 0; i < fresh.rows(); i++) {
        Map<String, Double> raw = new LinkedHashMap<>();
        for (int j = 0; j < fresh.features(); j++) {
          raw.put(fresh.featureNames().get(j), fresh.value(i, j));
        }
        double[] z = back.encode(raw);
        for (int j = 0; j < z.length; j++) {
          // bit for bit (NaN, a missing value left alone, included)
          assertThat(Double.doubleToLongBits(z[j]))
              .as(s + " row " + i + " column " + j)
              .isEqualTo(Double.doubleToLongBits(expected.value(i, j)));
        }
      }
    }
  }

  @Test
  void anInfiniteValueIsRefusedWithTheColumnNamed() {
    int[] rows = new int[60];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    PreprocessingEncoder e =
        new PreprocessingEncoder(
            Preprocessing.fromMap(spec("mean", true, "none")).fit(table(1, 60), rows));
    Map<String, Double> raw = new LinkedHashMap<>();
    raw.put("a", 1.0);
    raw.put("b", Double.POSITIVE_INFINITY);
    raw.put("c", Double.NaN);
    assertThatThrownBy(() -> e.encode(raw))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("column 'b'")
        .hasMessageContaining("Infinity");
  }

  @Test
  void sourceColumnsFollowIndicatorsAndBins() {
    int[] rows = new int[60];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    PreprocessingEncoder e =
        new PreprocessingEncoder(
            Preprocessing.fromMap(
                    spec(
                        Map.of("strategy", "constant", "value", 0, "indicator", true),
                        false,
                        Map.of("count", 2, "encoding", "one-hot")))
                .fit(table(3, 60), rows));
    List<String> names = e.modelColumns();
    List<String> sources = e.sourceColumns();
    for (int k = 0; k < names.size(); k++) {
      String n = names.get(k);
      assertThat(sources.get(k)).as(n).isEqualTo(n.substring(0, 1));
    }
    assertThat(names).contains("a__missing__bin0", "c__missing__bin_missing");
  }

  @Test
  void aBadTreeShardNamesTheKey() {
    int[] rows = new int[60];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    PreprocessingEncoder e = new PreprocessingEncoder(Preprocessing.none().fit(table(4, 60), rows));
    List<double[]> edges = List.of(new double[] {0.0}, new double[] {1.0, 2.0}, new double[] {});
    TreeBankModel.StoredTree tree =
        new TreeBankModel.StoredTree(
            Map.of(
                0, new TreeBankModel.BankSplit(new SplitRule(1, 0, true), 60),
                1, new TreeBankModel.Leaf(0.1, 20),
                2, new TreeBankModel.PartySplit("tax", 40),
                5, new TreeBankModel.Leaf(-0.2, 10),
                6, new TreeBankModel.Leaf(0.3, 30)));
    TreeBankModel model = new TreeBankModel("j", "bank", e, edges, List.of("tax"), List.of(tree));
    Map<String, Object> good = ShardFiles.fromJson(ShardFiles.toJson(model.toShard()), "bank");
    assertThat(PartyModel.fromShard(good)).isInstanceOf(TreeBankModel.class);

    Map<String, Object> orphan = ShardFiles.fromJson(ShardFiles.toJson(model.toShard()), "bank");
    nodes(orphan).removeIf(n -> n.get("id").equals(6));
    assertThatThrownBy(() -> PartyModel.fromShard(orphan, "bank.json"))
        .isInstanceOf(ShardFormatException.class)
        .hasMessageContaining("bank.json: trees: tree 0 node 2 lacks a child");

    Map<String, Object> kind = ShardFiles.fromJson(ShardFiles.toJson(model.toShard()), "bank");
    nodes(kind).get(1).put("kind", "hidden");
    assertThatThrownBy(() -> PartyModel.fromShard(kind, "bank.json"))
        .hasMessageContaining("bank.json: trees[0].nodes[1].kind: expected leaf, bank or party");

    Map<String, Object> stranger = ShardFiles.fromJson(ShardFiles.toJson(model.toShard()), "b");
    stranger.put("feature_parties", List.of("utility"));
    assertThatThrownBy(() -> PartyModel.fromShard(stranger, "bank.json"))
        .hasMessageContaining("owned by unknown party tax");

    // a row walks bank split → party split → leaf, with the tax bureau's direction
    Map<String, Double> raw = Map.of("a", 0.5, "b", 1.5, "c", Double.NaN);
    TreePart right = new TreePart("tax", Map.of("0/2", false), Map.of());
    assertThat(model.score(raw, Map.of("tax", right)).margin()).isEqualTo(0.3);
    TreePart left = new TreePart("tax", Map.of("0/2", true), Map.of());
    assertThat(model.score(raw, Map.of("tax", left)).margin()).isEqualTo(-0.2);
    Map<String, Double> low = Map.of("a", 0.5, "b", 0.5, "c", 1.0);
    assertThat(model.score(low, Map.of("tax", left)).margin()).isEqualTo(0.1);
    Map<String, Double> missing = Map.of("a", 0.5, "b", Double.NaN, "c", 1.0);
    assertThat(model.score(missing, Map.of("tax", right)).margin()).isEqualTo(0.1);
    assertThatThrownBy(
            () -> model.score(raw, Map.of("tax", new TreePart("tax", Map.of(), Map.of()))))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("tax sent no direction for tree 0 node 2");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> nodes(Map<String, Object> shard) {
    return (List<Map<String, Object>>)
        ((List<Map<String, Object>>) shard.get("trees")).get(0).get("nodes");
  }
}
