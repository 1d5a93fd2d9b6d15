package org.fedcredit.modelzoo.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.binning.WoeColumn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorecardTest {

  static final Offset<Double> EXACT = Offset.offset(1e-9);

  // Bank column, a provider column and an indicator; WOE per bin (missing last).
  static final WoeColumn OVERDRAFT =
      new WoeColumn(
          new ColumnBins("overdraft_use", List.of(-0.5, 0.5), false),
          new long[] {80, 90, 70, 0},
          new double[] {0.8, 0.1, -0.9, 0});
  static final WoeColumn INVOICED =
      new WoeColumn(
          new ColumnBins("invoiced_12m", List.of(1200.0, 3400.0), false),
          new long[] {60, 100, 60, 20},
          new double[] {-0.7, 0.05, 0.6, -0.3});
  static final WoeColumn ABNORMAL =
      new WoeColumn(
          ColumnBins.indicator("abnormal_list"),
          new long[] {170, 70, 0},
          new double[] {0.3, -0.6, 0});
  static final Map<String, Double> WEIGHTS =
      Map.of("overdraft_use", -0.9, "invoiced_12m", -1.1, "abnormal_list", -0.7);
  static final double INTERCEPT = -1.6;
  static final List<WoeColumn> COLUMNS = List.of(OVERDRAFT, INVOICED, ABNORMAL);

  static Scorecard card() {
    return Scorecard.build(
        COLUMNS, WEIGHTS, INTERCEPT, ScorecardScaling.defaults(), ScoreBands.defaults());
  }

  @Test
  void defaultsAnchor600PointsAt50To1OddsWith20PointsToDouble() {
    ScorecardScaling s = ScorecardScaling.defaults();
    assertThat(s.factor()).isCloseTo(20 / Math.log(2), EXACT);
    assertThat(s.offset()).isCloseTo(600 - 20 / Math.log(2) * Math.log(50), EXACT);
    // logit = ln(bad/good): odds 50:1 good:bad is logit −ln 50.
    assertThat(s.score(-Math.log(50))).isCloseTo(600, EXACT);
    assertThat(s.score(-Math.log(100))).isCloseTo(620, EXACT);
    assertThat(s.score(-Math.log(25))).isCloseTo(580, EXACT);
  }

  @Test
  void pointsReproduceTheLogisticRegressionLogOdds() {
    Scorecard card = card();
    ScorecardScaling s = card.scaling();
    Random r = new Random(3);
    for (int i = 0; i < 200; i++) {
      Map<String, Double> row = new HashMap<>();
      row.put("overdraft_use", r.nextDouble() < 0.1 ? Double.NaN : r.nextGaussian());
      row.put("invoiced_12m", r.nextDouble() < 0.1 ? Double.NaN : 5000 * r.nextDouble());
      row.put("abnormal_list", r.nextDouble() < 0.3 ? 1.0 : 0.0);
      double logit = INTERCEPT;
      for (WoeColumn c : COLUMNS) {
        logit += WEIGHTS.get(c.column()) * c.woeOf(row.get(c.column()));
      }
      assertThat(card.score(row))
          .as("row %s", row)
          .isCloseTo(s.offset() - s.factor() * logit, EXACT);
    }
    // Points table: −(w·WOE + b/n)·factor + offset/n.
    Attribute a = card.characteristics().get(1).attributes().get(2);
    assertThat(a.label()).isEqualTo("(3400, +inf)");
    assertThat(a.points())
        .isCloseTo(-(-1.1 * 0.6 + INTERCEPT / 3) * s.factor() + s.offset() / 3, EXACT);
    assertThat(a.count()).isEqualTo(60);
    // Higher WOE (lower risk) earns more points when the weight is negative, as it should be.
    assertThat(a.points())
        .isGreaterThan(card.characteristics().get(1).attributes().get(0).points());
  }

  @Test
  void bandsFollowTheirCutScores() {
    ScoreBands b = ScoreBands.defaults();
    assertThat(b.band(700)).isEqualTo("A");
    assertThat(b.band(660)).isEqualTo("A");
    assertThat(b.band(659.99)).isEqualTo("B");
    assertThat(b.band(580)).isEqualTo("C");
    assertThat(b.band(100)).isEqualTo("E");
    ScoreBands two = new ScoreBands(List.of("accept", "refer"), List.of(600.0));
    assertThat(two.band(600)).isEqualTo("accept");
    assertThatThrownBy(() -> new ScoreBands(List.of("A", "B", "C"), List.of(500.0, 600.0)))
        .isInstanceOf(ScorecardException.class)
        .hasMessageContaining("decreasing");
    Map<String, Double> row =
        Map.of("overdraft_use", 1.0, "invoiced_12m", 5000.0, "abnormal_list", 0.0);
    assertThat(card().band(row)).isEqualTo(b.band(card().score(row)));
  }

  @Test
  void partyScorecardsMergeIntoTheSameCardAndScore() {
    ScorecardScaling s = ScorecardScaling.defaults();
    double base = s.basePointsPerCharacteristic(INTERCEPT, 3); // computed by the bank
    PartyScorecard bank =
        PartyScorecard.build(
            "bank",
            List.of(OVERDRAFT, ABNORMAL),
            Map.of("overdraft_use", -0.9, "abnormal_list", -0.7),
            s,
            base,
            3);
    PartyScorecard tax =
        PartyScorecard.build(
            "tax-bureau", List.of(INVOICED), Map.of("invoiced_12m", -1.1), s, base, 3);
    Map<String, Double> row =
        Map.of("overdraft_use", 0.0, "invoiced_12m", 2000.0, "abnormal_list", 1.0);
    Scorecard merged = Scorecard.merge(List.of(bank, tax), ScoreBands.defaults());
    assertThat(merged.score(row)).isCloseTo(card().score(row), EXACT);
    assertThat(bank.partialScore(row) + tax.partialScore(row)).isCloseTo(card().score(row), EXACT);
    assertThatThrownBy(() -> Scorecard.merge(List.of(bank), ScoreBands.defaults()))
        .isInstanceOf(ScorecardException.class)
        .hasMessageContaining("2 of the model's 3");
    PartyScorecard other =
        PartyScorecard.build(
            "tax-bureau",
            List.of(INVOICED),
            Map.of("invoiced_12m", -1.1),
            new ScorecardScaling(40, 600, 50),
            base,
            3);
    assertThatThrownBy(() -> Scorecard.merge(List.of(bank, other), ScoreBands.defaults()))
        .isInstanceOf(ScorecardException.class)
        .hasMessageContaining("tax-bureau");
  }

  @Test
  void jsonAndCsvExportsRoundTrip(@TempDir Path dir) throws Exception {
    Scorecard card = card();
    Path json = dir.resolve("scorecard.json");
    Path csv = dir.resolve("scorecard.csv");
    card.writeJson(json);
    card.writeCsv(csv);
    card.writeCsv(csv); // replacing works too
    assertThat(Scorecard.fromJson(Files.readString(json))).isEqualTo(card);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("scorecard.json", "scorecard.csv");
    }
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo(Scorecard.CSV_HEADER);
    assertThat(lines).hasSize(1 + 4 + 4 + 3);
    int k = 1;
    for (Characteristic c : card.characteristics()) {
      for (Attribute a : c.attributes()) {
        String[] f = lines.get(k++).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
        assertThat(f[0]).isEqualTo("\"" + c.name() + "\"");
        assertThat(f[1]).isEqualTo("\"" + a.label() + "\"");
        assertThat(Double.parseDouble(f[2])).isEqualTo(a.woe());
        assertThat(Double.parseDouble(f[3])).isEqualTo(a.points());
        assertThat(Long.parseLong(f[4])).isEqualTo(Math.round(a.points()));
        assertThat(Long.parseLong(f[5])).isEqualTo(a.count());
      }
    }
    assertThatThrownBy(() -> Scorecard.fromJson("{\"format\":\"other\"}"))
        .isInstanceOf(ScorecardException.class)
        .hasMessageContaining("not a FedCredit scorecard");
  }

  @Test
  void aMissingWeightIsNamed() {
    assertThatThrownBy(
            () ->
                Scorecard.build(
                    COLUMNS,
                    Map.of("overdraft_use", -1.0),
                    INTERCEPT,
                    ScorecardScaling.defaults(),
                    ScoreBands.defaults()))
        .isInstanceOf(ScorecardException.class)
        .hasMessageContaining("invoiced_12m");
  }
}
