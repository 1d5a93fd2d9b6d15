package org.fedcredit.modelzoo.scorecard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.binning.WoeColumn;

/**
 * One characteristic (column) of a scorecard: its bins, its LR weight and the points of each
 * attribute (bin), in bin order.
 *
 * @param name the column
 * @param bins the column's bins (cut points as published by the owner)
 * @param weight the LR weight of the column's WOE
 * @param attributes one per bin, the missing bin last
 */
public record Characteristic(
    String name, ColumnBins bins, double weight, List<Attribute> attributes) {

  public Characteristic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bins, "bins");
    attributes = List.copyOf(attributes);
    if (attributes.size() != bins.bins()) {
      throw new ScorecardException(
          "characteristic '"
              + name
              + "' has "
              + bins.bins()
              + " bins but "
              + attributes.size()
              + " attributes");
    }
  }

  /** Points per attribute: {@code −w·WOE·factor + basePoints}. */
  static Characteristic of(
      WoeColumn column, double weight, ScorecardScaling scaling, double basePoints) {
    if (!Double.isFinite(weight)) {
      throw new ScorecardException(
          "the weight of '" + column.column() + "' is " + weight + "; the LR did not converge");
    }
    double[] woe = column.woe();
    long[] rows = column.rows();
    List<Attribute> attrs = new ArrayList<>();
    for (int b = 0; b < woe.length; b++) {
      attrs.add(
          new Attribute(
              column.bins().label(b),
              woe[b],
              -weight * woe[b] * scaling.factor() + basePoints,
              rows[b]));
    }
    return new Characteristic(column.column(), column.bins(), weight, attrs);
  }

  /** The points of value {@code x} (NaN = missing). */
  public double points(double x) {
    return attributes.get(bins.binOf(x)).points();
  }
}
