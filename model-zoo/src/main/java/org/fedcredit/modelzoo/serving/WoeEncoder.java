package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.binning.BinningException;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.binning.WoeColumn;

/**
 * A scorecard party's WOE encoding of one raw row: each model column is the WOE of the bin of the
 * raw column of the same name ({@link WoeColumn#woeOf}), exactly as for the training and hold-out
 * tables.
 *
 * <p>Shard form: {@code {type: "woe", columns: [{column, cut_points, indicator, rows, woe}]}}.
 *
 * @param columns the party's WOE columns in model order
 */
public record WoeEncoder(List<WoeColumn> columns) implements RowEncoder {

  static final String TYPE = "woe";

  public WoeEncoder {
    columns = List.copyOf(columns);
  }

  @Override
  public List<String> rawColumns() {
    return columns.stream().map(WoeColumn::column).toList();
  }

  @Override
  public List<String> modelColumns() {
    return rawColumns();
  }

  @Override
  public List<String> sourceColumns() {
    return rawColumns();
  }

  @Override
  public double[] encode(Map<String, Double> raw) {
    double[] z = new double[columns.size()];
    for (int j = 0; j < z.length; j++) {
      WoeColumn c = columns.get(j);
      try {
        z[j] = c.woeOf(RowEncoder.value(raw, c.column()));
      } catch (BinningException e) {
        throw new ScoringException(e.getMessage(), e);
      }
    }
    return z;
  }

  @Override
  public Map<String, Object> toShard() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", TYPE);
    List<Map<String, Object>> cols = new ArrayList<>();
    for (WoeColumn c : columns) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("column", c.column());
      m.put("cut_points", c.bins().cutPoints());
      m.put("indicator", c.bins().indicator());
      List<Long> rows = new ArrayList<>();
      for (long r : c.rows()) {
        rows.add(r);
      }
      m.put("rows", rows);
      List<Double> woe = new ArrayList<>();
      for (double w : c.woe()) {
        woe.add(w);
      }
      m.put("woe", woe);
      cols.add(m);
    }
    out.put("columns", cols);
    return out;
  }

  static WoeEncoder fromShard(ShardFields f) {
    List<WoeColumn> out = new ArrayList<>();
    for (ShardFields c : f.objects("columns")) {
      double[] cuts = c.numbers("cut_points");
      List<Double> cutList = new ArrayList<>();
      for (double x : cuts) {
        cutList.add(x);
      }
      try {
        out.add(
            new WoeColumn(
                new ColumnBins(c.string("column"), cutList, c.bool("indicator")),
                c.wholes("rows"),
                c.numbers("woe")));
      } catch (BinningException e) {
        throw new ShardFormatException(c.where("column") + ": " + e.getMessage(), e);
      }
    }
    return new WoeEncoder(out);
  }
}
