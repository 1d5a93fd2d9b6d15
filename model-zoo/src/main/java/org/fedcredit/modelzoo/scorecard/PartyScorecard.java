package org.fedcredit.modelzoo.scorecard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fedcredit.modelzoo.binning.WoeColumn;

/**
 * The points tables of one party's characteristics in a vertical deployment: each party holds the
 * weights and WOEs of its own columns, so it computes their points itself; at serving time it
 * returns its partial score, and for the credit committee it may publish this card (its cut-point
 * labels included) to be {@link Scorecard#merge merged}.
 *
 * @param party the owner
 * @param scaling the job's scaling (the same at every party)
 * @param basePointsPerCharacteristic {@code (offset − factor·b)/n}, from the bank
 * @param totalCharacteristics {@code n}, all characteristics across parties
 * @param characteristics this party's characteristics
 */
public record PartyScorecard(
    String party,
    ScorecardScaling scaling,
    double basePointsPerCharacteristic,
    int totalCharacteristics,
    List<Characteristic> characteristics) {

  public PartyScorecard {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(scaling, "scaling");
    characteristics = List.copyOf(characteristics);
    if (characteristics.size() > totalCharacteristics) {
      throw new ScorecardException(
          party
              + " has "
              + characteristics.size()
              + " characteristics, more than the model's "
              + totalCharacteristics);
    }
    Set<String> names = new HashSet<>();
    for (Characteristic c : characteristics) {
      if (!names.add(c.name())) {
        throw new ScorecardException(party + " lists characteristic '" + c.name() + "' twice");
      }
    }
  }

  /**
   * Builds the party's points tables.
   *
   * @param columns the party's WOE-encoded columns in the model
   * @param weights LR weight per column name; every column needs one
   */
  public static PartyScorecard build(
      String party,
      List<WoeColumn> columns,
      Map<String, Double> weights,
      ScorecardScaling scaling,
      double basePointsPerCharacteristic,
      int totalCharacteristics) {
    List<Characteristic> out = new ArrayList<>();
    for (WoeColumn c : columns) {
      Double w = weights.get(c.column());
      if (w == null) {
        throw new ScorecardException(
            party
                + ": no LR weight for column '"
                + c.column()
                + "'; weights are "
                + weights.keySet());
      }
      out.add(Characteristic.of(c, w, scaling, basePointsPerCharacteristic));
    }
    if (weights.size() != columns.size()) {
      throw new ScorecardException(
          party + ": " + weights.size() + " weights for " + columns.size() + " WOE columns");
    }
    return new PartyScorecard(
        party, scaling, basePointsPerCharacteristic, totalCharacteristics, out);
  }

  /** The sum of this party's points for {@code row} (column name → value; absent = missing). */
  public double partialScore(Map<String, Double> row) {
    double s = 0;
    for (Characteristic c : characteristics) {
      s += c.points(row.getOrDefault(c.name(), Double.NaN));
    }
    return s;
  }
}
