package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * One column's WOE encoding as its owner holds it: the (possibly merged) bins with their cut
 * points, the training rows per bin, and the WOE per bin. Only the owner has the cut points.
 *
 * @param bins the final bins (after any merge)
 * @param rows training rows per bin
 * @param woe per bin, in bin order (the missing bin last)
 */
public record WoeColumn(ColumnBins bins, long[] rows, double[] woe) {

  public WoeColumn {
    Objects.requireNonNull(bins, "bins");
    rows = rows.clone();
    woe = woe.clone();
    if (rows.length != bins.bins() || woe.length != bins.bins()) {
      throw new BinningException(
          "column '"
              + bins.column()
              + "' has "
              + bins.bins()
              + " bins but "
              + rows.length
              + " counts and "
              + woe.length
              + " WOE values");
    }
  }

  public String column() {
    return bins.column();
  }

  @Override
  public long[] rows() {
    return rows.clone();
  }

  @Override
  public double[] woe() {
    return woe.clone();
  }

  /** The WOE of the bin of {@code x}. */
  public double woeOf(double x) {
    return woe[bins.binOf(x)];
  }

  /**
   * {@code table}'s named columns replaced by their WOE (same names, same rows, labels kept), in
   * the order of {@code columns}: the input of a logistic regression for a scorecard.
   */
  public static LocalTable transform(LocalTable table, List<WoeColumn> columns) {
    List<String> names = new ArrayList<>();
    double[][] out = new double[columns.size()][];
    for (int k = 0; k < columns.size(); k++) {
      WoeColumn c = columns.get(k);
      int j = table.featureNames().indexOf(c.column());
      if (j < 0) {
        throw new BinningException(table.source() + " has no column '" + c.column() + "'");
      }
      names.add(c.column());
      double[] x = table.column(j);
      out[k] = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[k][i] = c.woeOf(x[i]);
      }
    }
    return new LocalTable(
        table.source() + " (WOE)", table.ids(), names, out, table.labels().orElse(null));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WoeColumn w
        && bins.equals(w.bins)
        && Arrays.equals(rows, w.rows)
        && Arrays.equals(woe, w.woe);
  }

  @Override
  public int hashCode() {
    return bins.hashCode() * 31 + Arrays.hashCode(woe);
  }
}
