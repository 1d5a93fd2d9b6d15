package org.fedcredit.modelzoo.binning;

import java.math.BigInteger;
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
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * The bank in federated WOE/IV binning (FATE's hetero feature binning, guest side). It encrypts its
 * training labels under a fresh job key and sends them to every feature party, decrypts the per-bin
 * event counts they return, computes WOE and IV for every column (its own in the clear), returns to
 * each provider the grouping and WOE of its bins, selects columns by IV across all parties and
 * tells each provider which of its columns are kept. Message table and what each party learns:
 * docs/protocols/binning.md.
 */
public final class WoeBinningLabelParty {

  static final String LABELS = "binning/labels";
  static final String COUNTS = "binning/bin-counts";
  static final String WOE = "binning/woe";
  static final String SELECTION = "binning/selection";

  private final Federation fed;
  private final List<PartyId> featureParties;
  private final LocalTable table;
  private final int[] trainingRows;
  private final WoeBinningConfig config;
  private final PaillierKeyPair jobKey;
  private final PaillierEngine.Options engineOptions;

  /**
   * @param table the bank's aligned rows (PSI order) with labels
   * @param trainingRows positions of the training rows in the aligned order, the same at every
   *     party
   * @param jobKey a key made for this job only ({@code PaillierKeyPair.generate(config.keyBits())})
   */
  public WoeBinningLabelParty(
      Federation fed,
      List<PartyId> featureParties,
      LocalTable table,
      int[] trainingRows,
      WoeBinningConfig config,
      PaillierKeyPair jobKey,
      PaillierEngine.Options engineOptions) {
    if (!table.hasLabels()) {
      throw new BinningException(table.source() + ": the label party needs a label column");
    }
    this.fed = Objects.requireNonNull(fed, "fed");
    this.featureParties = List.copyOf(featureParties);
    this.table = table;
    this.trainingRows = trainingRows.clone();
    this.config = Objects.requireNonNull(config, "config");
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.engineOptions = Objects.requireNonNull(engineOptions, "engineOptions");
    if (jobKey.publicKey().bits() < config.keyBits()) {
      throw new BinningException(
          "the job key has "
              + jobKey.publicKey().bits()
              + " bits, the configuration asks for "
              + config.keyBits());
    }
  }

  /**
   * The bank's outcome.
   *
   * @param ownColumns the bank's own columns' WOE encodings, by column name
   * @param columns every column of the job (the bank's first, then each provider's), with its IV
   * @param selected qualified names ({@code party/column}) kept by the IV selection, IV descending
   */
  public record Result(
      Map<String, WoeColumn> ownColumns, List<ColumnIv> columns, List<String> selected) {
    public Result {
      ownColumns = Map.copyOf(ownColumns);
      columns = List.copyOf(columns);
      selected = List.copyOf(selected);
    }

    /** IV by qualified name. */
    public Map<String, Double> ivByColumn() {
      Map<String, Double> out = new LinkedHashMap<>();
      for (ColumnIv c : columns) {
        out.put(c.qualifiedName(), c.iv());
      }
      return out;
    }
  }

  public Result run() {
    int[] labels = new int[trainingRows.length];
    BigInteger[] plain = new BigInteger[trainingRows.length];
    for (int r = 0; r < trainingRows.length; r++) {
      labels[r] = table.label(trainingRows[r]);
      plain[r] = BigInteger.valueOf(labels[r]);
    }
    List<ColumnIv> all = new ArrayList<>();
    Map<String, WoeColumn> own = new LinkedHashMap<>();
    try (HomomorphicEngine engine =
        config.crypto().ownerEngine(jobKey.privateKey(), engineOptions)) {
      // One fresh encryption per row; all providers get the same ciphertexts (they learn nothing
      // from comparing them: the alignment is already common knowledge).
      Ciphertext[] encrypted = engine.encrypt(plain);
      EncryptedLabels message =
          EncryptedLabels.newBuilder()
              .setPublicKey(PaillierKeyCodec.toProto(jobKey.publicKey()))
              .setLabels(
                  engine
                      .toWire(encrypted, EncodingDescriptor.fixedPoint(0, encrypted.length))
                      .toProto())
              .build();
      for (PartyId p : featureParties) {
        fed.send(p, LABELS, message);
      }

      PartyId self = fed.self();
      List<ColumnBins> bins = config.binning().fit(table, trainingRows);
      for (int j = 0; j < bins.size(); j++) {
        ColumnBins b = bins.get(j);
        int[] binOfRow = new int[trainingRows.length];
        for (int r = 0; r < trainingRows.length; r++) {
          binOfRow[r] = b.binOf(table.value(trainingRows[r], j));
        }
        WoeEvaluation ev =
            BinStatistics.count(b.column(), b.regularBins(), binOfRow, labels)
                .evaluate(config.rules());
        all.add(new ColumnIv(self, b.column(), ev));
        own.put(b.column(), new WoeColumn(b.merge(ev.groupOfBin()), ev.grouped().rows(), ev.woe()));
      }

      long events = java.util.Arrays.stream(labels).sum();
      for (PartyId p : featureParties) {
        BinCounts counts = fed.receive(p, COUNTS, BinCounts.class);
        WoeAssignment.Builder reply = WoeAssignment.newBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ColumnBinCounts c : counts.getColumnsList()) {
          if (!seen.add(c.getColumn())) {
            throw new BinningException(p + " sent column '" + c.getColumn() + "' twice");
          }
          WoeEvaluation ev = evaluate(p, c, engine, events).evaluate(config.rules());
          all.add(new ColumnIv(p, c.getColumn(), ev));
          ColumnWoe.Builder cw = ColumnWoe.newBuilder().setColumn(c.getColumn());
          for (int g : ev.groupOfBin()) {
            cw.addGroupOfBin(g);
          }
          for (double w : ev.woe()) {
            cw.addWoe(w);
          }
          reply.addColumns(cw);
        }
        fed.send(p, WOE, reply.build());
      }
    }

    Map<String, Double> ivs = new LinkedHashMap<>();
    for (ColumnIv c : all) {
      ivs.put(c.qualifiedName(), c.iv());
    }
    List<String> selected = config.selection().select(ivs);
    for (PartyId p : featureParties) {
      SelectedColumns.Builder s = SelectedColumns.newBuilder();
      for (ColumnIv c : all) {
        if (c.owner().equals(p) && selected.contains(c.qualifiedName())) {
          s.addColumns(c.column());
        }
      }
      fed.send(p, SELECTION, s.build());
    }
    return new Result(own, all, selected);
  }

  /** Decrypts and checks one provider column's counts against the bank's own totals. */
  private BinStatistics evaluate(
      PartyId p, ColumnBinCounts c, HomomorphicEngine engine, long totalEvents) {
    String where = p + "/" + c.getColumn();
    int bins = c.getRegularBins() + 1;
    if (c.getRegularBins() < 1 || c.getBinRowsCount() != bins) {
      throw new BinningException(
          where
              + ": "
              + c.getRegularBins()
              + " regular bins but "
              + c.getBinRowsCount()
              + " bin sizes; the provider's message is malformed");
    }
    EncryptedVector v = EncryptedVector.fromProto(c.getEncryptedEvents(), jobKey.publicKey());
    if (v.size() != bins) {
      throw new BinningException(
          where + ": " + v.size() + " encrypted event counts for " + bins + " bins");
    }
    BigInteger[] decrypted = engine.decrypt(engine.fromWire(v));
    long[] rows = new long[bins];
    long[] events = new long[bins];
    long rowSum = 0;
    long eventSum = 0;
    for (int b = 0; b < bins; b++) {
      rows[b] = c.getBinRows(b);
      if (decrypted[b].compareTo(BigInteger.valueOf(rows[b])) > 0) {
        throw new BinningException(
            where + ", bin " + b + ": more events than rows; the provider's sums are wrong");
      }
      events[b] = decrypted[b].longValueExact();
      rowSum += rows[b];
      eventSum += events[b];
    }
    if (rowSum != trainingRows.length || eventSum != totalEvents) {
      throw new BinningException(
          where
              + ": the bins hold "
              + rowSum
              + " rows and "
              + eventSum
              + " events, the training set "
              + trainingRows.length
              + " and "
              + totalEvents
              + "; the provider binned other rows than the agreed training rows");
    }
    return new BinStatistics(c.getColumn(), c.getRegularBins(), rows, events);
  }
}
