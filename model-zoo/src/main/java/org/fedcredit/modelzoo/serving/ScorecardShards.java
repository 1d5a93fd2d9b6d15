package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.binning.BinningException;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.scorecard.Attribute;
import org.fedcredit.modelzoo.scorecard.Characteristic;
import org.fedcredit.modelzoo.scorecard.PartyScorecard;
import org.fedcredit.modelzoo.scorecard.ScoreBands;
import org.fedcredit.modelzoo.scorecard.ScorecardException;
import org.fedcredit.modelzoo.scorecard.ScorecardScaling;

/**
 * Shard form of a party's points tables: {@code {party, scaling: {pdo, base_score, base_odds},
 * base_points_per_characteristic, total_characteristics, characteristics: [{name, cut_points,
 * indicator, weight, attributes: [{label, woe, points, count}]}]}}.
 */
final class ScorecardShards {

  private ScorecardShards() {}

  static Map<String, Object> scaling(ScorecardScaling s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pdo", s.pdo());
    m.put("base_score", s.baseScore());
    m.put("base_odds", s.baseOdds());
    return m;
  }

  static ScorecardScaling scaling(ShardFields f) {
    try {
      return new ScorecardScaling(f.number("pdo"), f.number("base_score"), f.number("base_odds"));
    } catch (ScorecardException e) {
      throw f.error("pdo", e.getMessage());
    }
  }

  static Map<String, Object> bands(ScoreBands b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("names", b.names());
    m.put("lower_bounds", b.lowerBounds());
    return m;
  }

  static ScoreBands bands(ShardFields f) {
    List<Double> bounds = new ArrayList<>();
    for (double x : f.numbers("lower_bounds")) {
      bounds.add(x);
    }
    try {
      return new ScoreBands(f.strings("names"), bounds);
    } catch (ScorecardException e) {
      throw f.error("names", e.getMessage());
    }
  }

  static Map<String, Object> card(PartyScorecard card) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("party", card.party());
    m.put("scaling", scaling(card.scaling()));
    m.put("base_points_per_characteristic", card.basePointsPerCharacteristic());
    m.put("total_characteristics", card.totalCharacteristics());
    List<Map<String, Object>> cs = new ArrayList<>();
    for (Characteristic c : card.characteristics()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("name", c.name());
      cm.put("column", c.bins().column());
      cm.put("cut_points", c.bins().cutPoints());
      cm.put("indicator", c.bins().indicator());
      cm.put("weight", c.weight());
      List<Map<String, Object>> as = new ArrayList<>();
      for (Attribute a : c.attributes()) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("label", a.label());
        am.put("woe", a.woe());
        am.put("points", a.points());
        am.put("count", a.count());
        as.add(am);
      }
      cm.put("attributes", as);
      cs.add(cm);
    }
    m.put("characteristics", cs);
    return m;
  }

  static PartyScorecard card(ShardFields f) {
    List<Characteristic> cs = new ArrayList<>();
    for (ShardFields c : f.objects("characteristics")) {
      List<Double> cuts = new ArrayList<>();
      for (double x : c.numbers("cut_points")) {
        cuts.add(x);
      }
      List<Attribute> as = new ArrayList<>();
      for (ShardFields a : c.objects("attributes")) {
        as.add(
            new Attribute(
                a.string("label"), a.number("woe"), a.number("points"), a.whole("count")));
      }
      try {
        cs.add(
            new Characteristic(
                c.string("name"),
                new ColumnBins(c.string("column"), cuts, c.bool("indicator")),
                c.number("weight"),
                as));
      } catch (BinningException | ScorecardException e) {
        throw c.error("name", e.getMessage());
      }
    }
    try {
      return new PartyScorecard(
          f.string("party"),
          scaling(f.object("scaling")),
          f.number("base_points_per_characteristic"),
          f.integer("total_characteristics"),
          cs);
    } catch (ScorecardException e) {
      throw f.error("characteristics", e.getMessage());
    }
  }
}
