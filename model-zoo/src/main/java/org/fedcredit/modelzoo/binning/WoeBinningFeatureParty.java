package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.binning.v1.BinCounts;
import org.fedcredit.protocols.binning.v1.ColumnBinCounts;
import org.fedcredit.protocols.binning.v1.ColumnWoe;
import org.fedcredit.protocols.binning.v1.EncryptedLabels;
import org.fedcredit.protocols.binning.v1.SelectedColumns;
import org.fedcredit.protocols.binning.v1.WoeAssignment;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.EncodingDescriptor;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;

/**
 * A data provider in federated WOE/IV binning (FATE's host side). It bins its columns locally on
 * the training rows, adds the bank's encrypted labels per bin (ciphertext additions only), re-
 * randomises the sums and sends them with the bin sizes, under opaque bin indices: no cut point and
 * no raw value leaves the party. It then receives the grouping and WOE of its bins, so that it can
 * WOE-transform its own columns, and the bank's IV selection. Protocol: docs/protocols/binning.md.
 */
public final class WoeBinningFeatureParty {

  private final Federation fed;
  private final PartyId labelParty;
  private final LocalTable table;
  private final int[] trainingRows;
  private final WoeBinningConfig config;
  private final PaillierEngine.Options engineOptions;

  /**
   * @param table this party's aligned rows (PSI order)
   * @param trainingRows positions of the training rows in the aligned order, as at the bank
   */
  public WoeBinningFeatureParty(
      Federation fed,
      PartyId labelParty,
      LocalTable table,
      int[] trainingRows,
      WoeBinningConfig config,
      PaillierEngine.Options engineOptions) {
    this.fed = Objects.requireNonNull(fed, "fed");
    this.labelParty = Objects.requireNonNull(labelParty, "labelParty");
    this.table = Objects.requireNonNull(table, "table");
    this.trainingRows = trainingRows.clone();
    this.config = Objects.requireNonNull(config, "config");
    this.engineOptions = Objects.requireNonNull(engineOptions, "engineOptions");
  }

  /**
   * The provider's outcome.
   *
   * @param columns WOE encoding of every column, by the party's own column name, in table order
   * @param selected own column names the bank's IV selection kept, in table order
   */
  public record Result(Map<String, WoeColumn> columns, List<String> selected) {
    public Result {
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
      selected = List.copyOf(selected);
    }

    /** The WOE encodings of the selected columns. */
    public List<WoeColumn> selectedColumns() {
      return selected.stream().map(columns::get).toList();
    }

    /** {@code table} reduced to the selected columns, each replaced by its WOE. */
    public LocalTable transform(LocalTable table) {
      return WoeColumn.transform(table, selectedColumns());
    }
  }

  public Result run() {
    EncryptedLabels message =
        fed.receive(labelParty, WoeBinningLabelParty.LABELS, EncryptedLabels.class);
    PaillierPublicKey key =
        PaillierKeyCodec.fromProto(message.getPublicKey(), KeySizePolicy.DEFAULT);
    List<ColumnBins> bins = config.binning().fit(table, trainingRows);
    List<String> disclosed = new ArrayList<>();
    for (int j = 0; j < bins.size(); j++) {
      disclosed.add(config.naming().disclose(j, table.featureNames().get(j)));
    }
    BinCounts.Builder counts = BinCounts.newBuilder();
    try (HomomorphicEngine engine = config.crypto().publicEngine(key, engineOptions)) {
      Ciphertext[] labels = engine.fromWire(EncryptedVector.fromProto(message.getLabels(), key));
      if (labels.length != trainingRows.length) {
        throw new BinningException(
            fed.self()
                + ": the bank sent "
                + labels.length
                + " encrypted labels for "
                + trainingRows.length
                + " training rows; the parties disagree on the training split");
      }
      for (int j = 0; j < bins.size(); j++) {
        ColumnBins b = bins.get(j);
        Ciphertext[] sums = new Ciphertext[b.bins()];
        long[] rows = new long[b.bins()];
        for (int r = 0; r < trainingRows.length; r++) {
          int bin = b.binOf(table.value(trainingRows[r], j));
          rows[bin]++;
          sums[bin] = sums[bin] == null ? labels[r] : engine.add(sums[bin], labels[r]);
        }
        for (int bin = 0; bin < sums.length; bin++) {
          if (sums[bin] == null) {
            sums[bin] = engine.encrypt(0L); // an empty bin: a fresh encryption of 0
          }
        }
        // A sum of one ciphertext is the bank's own ciphertext: re-randomise every sum.
        Ciphertext[] fresh = engine.rerandomize(sums);
        ColumnBinCounts.Builder c =
            ColumnBinCounts.newBuilder()
                .setColumn(disclosed.get(j))
                .setRegularBins(b.regularBins())
                .setEncryptedEvents(
                    engine.toWire(fresh, EncodingDescriptor.fixedPoint(0, fresh.length)).toProto());
        for (long n : rows) {
          c.addBinRows(n);
        }
        counts.addColumns(c);
      }
    }
    fed.send(labelParty, WoeBinningLabelParty.COUNTS, counts.build());

    WoeAssignment assignment =
        fed.receive(labelParty, WoeBinningLabelParty.WOE, WoeAssignment.class);
    Map<String, WoeColumn> out = new LinkedHashMap<>();
    Map<String, ColumnWoe> byName = new LinkedHashMap<>();
    for (ColumnWoe c : assignment.getColumnsList()) {
      byName.put(c.getColumn(), c);
    }
    for (int j = 0; j < bins.size(); j++) {
      ColumnWoe c = byName.get(disclosed.get(j));
      ColumnBins b = bins.get(j);
      if (c == null) {
        throw new BinningException(
            fed.self() + ": the bank returned no WOE for column '" + disclosed.get(j) + "'");
      }
      int[] groups = c.getGroupOfBinList().stream().mapToInt(Integer::intValue).toArray();
      ColumnBins merged = b.merge(groups);
      if (c.getWoeCount() != merged.bins()) {
        throw new BinningException(
            fed.self()
                + ": the bank returned "
                + c.getWoeCount()
                + " WOE values for the "
                + merged.bins()
                + " bins of column '"
                + b.column()
                + "'");
      }
      long[] rows = new long[merged.bins()];
      for (int r = 0; r < trainingRows.length; r++) {
        rows[merged.binOf(table.value(trainingRows[r], j))]++;
      }
      double[] woe = c.getWoeList().stream().mapToDouble(Double::doubleValue).toArray();
      out.put(b.column(), new WoeColumn(merged, rows, woe));
    }

    SelectedColumns selection =
        fed.receive(labelParty, WoeBinningLabelParty.SELECTION, SelectedColumns.class);
    List<String> selected = new ArrayList<>();
    for (int j = 0; j < bins.size(); j++) {
      if (selection.getColumnsList().contains(disclosed.get(j))) {
        selected.add(bins.get(j).column());
      }
    }
    if (selected.size() != selection.getColumnsCount()) {
      throw new BinningException(
          fed.self()
              + ": the bank selected columns it does not know: "
              + selection.getColumnsList());
    }
    return new Result(out, selected);
  }
}
