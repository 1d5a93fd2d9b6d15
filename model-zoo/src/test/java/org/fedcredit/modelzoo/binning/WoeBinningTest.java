package org.fedcredit.modelzoo.binning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.data.Offset;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.WireText;
import org.fedcredit.protocols.binning.v1.BinCounts;
import org.fedcredit.protocols.binning.v1.ColumnBinCounts;
import org.fedcredit.protocols.binning.v1.EncryptedLabels;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierKeyPair;
import org.fedcredit.secagg.paillier.PaillierPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two federated WOE/IV jobs (300 aligned rows, 240 for training; a bank and two providers; one
 * 2048-bit key for the class) compared with the same computation in the clear on the joined data,
 * and checked against the privacy rules of DESIGN.md §2.
 */
class WoeBinningTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");
  static final int ROWS = 300;

  static PaillierKeyPair key;
  static double[][] x; // joined columns: bank 0-1, tax 2-3, utility 4
  static int[] y;
  static int[] train;
  static LocalTable bank;
  static Map<PartyId, LocalTable> providers;
  static Map<PartyId, WoeBinningConfig> plainConfigs;
  static Map<PartyId, WoeBinningConfig> monotoneConfigs;
  static WoeBinning.Outcome plain;
  static WoeBinning.Outcome monotone;
  static final List<Object[]> wire = new CopyOnWriteArrayList<>(); // {from, to, tag, bytes}

  @BeforeAll
  static void run() {
    key = PaillierKeyPair.generate(2048);
    Random r = new Random(11);
    x = new double[5][ROWS];
    y = new int[ROWS];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      ids.add("e" + i);
      double overdraft = r.nextGaussian();
      double abnormal = r.nextDouble() < 0.3 ? 1 : 0;
      double invoiced = Math.exp(8 + r.nextGaussian());
      double growth = r.nextGaussian() * 0.2;
      double kwh = 1000 + 300 * r.nextGaussian();
      double z =
          -1 + 0.9 * overdraft + 0.8 * abnormal - 0.5 * (Math.log(invoiced) - 8) - 2 * growth;
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      x[0][i] = overdraft;
      x[1][i] = abnormal;
      x[2][i] = r.nextDouble() < 0.1 ? Double.NaN : invoiced;
      x[3][i] = growth;
      x[4][i] = r.nextDouble() < 0.15 ? Double.NaN : kwh;
    }
    train = java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 5 != 0).toArray();
    bank = table("bank", ids, List.of("overdraft_use", "abnormal_list"), 0, y);
    providers = new LinkedHashMap<>();
    providers.put(TAX, table("tax", ids, List.of("invoiced_12m", "invoice_growth"), 2, null));
    providers.put(UTILITY, table("utility", ids, List.of("kwh_avg"), 4, null));

    WoeBinningConfig base =
        WoeBinningConfig.defaults().withBinning(Binning.of(new BinningMethod.Quantile(6)));
    plainConfigs = new LinkedHashMap<>();
    plainConfigs.put(
        BANK,
        base.withBinning(base.binning().with("abnormal_list", new BinningMethod.Indicator()))
            .withSelection(IvSelection.topK(3)));
    // A one-row top bin (cut points are inclusive upper bounds, so only the maximum lies above
    // the last cut): its encrypted sum would be the bank's own ciphertext if not re-randomised
    // (and the bank's small-bin rule must merge it).
    double maxGrowth = java.util.Arrays.stream(train).mapToDouble(i -> x[3][i]).max().getAsDouble();
    plainConfigs.put(
        TAX,
        base.withBinning(
                base.binning()
                    .with(
                        "invoice_growth",
                        new BinningMethod.Manual(
                            List.of(-0.1, 0.0, 0.1, Math.nextDown(maxGrowth)))))
            .withNaming(ColumnNaming.NAMES));
    plainConfigs.put(UTILITY, base.withBinning(Binning.of(new BinningMethod.EqualWidth(5))));
    monotoneConfigs = new LinkedHashMap<>();
    for (var e : plainConfigs.entrySet()) {
      WoeBinningConfig c = e.getValue();
      monotoneConfigs.put(
          e.getKey(),
          c.withBinning(
                  e.getKey().equals(BANK)
                      ? c.binning()
                      : Binning.of(new BinningMethod.Quantile(10)))
              .withRules(c.rules().withMonotone(true))
              .withSelection(IvSelection.threshold(0.02)));
    }
    plain = runJob(plainConfigs, true);
    monotone = runJob(monotoneConfigs, false);
  }

  static WoeBinning.Outcome runJob(Map<PartyId, WoeBinningConfig> configs, boolean capture) {
    InMemoryFederation fed = new InMemoryFederation(WoeBinning.parties(BANK, providers.keySet()));
    if (capture) {
      fed.observe((from, to, tag, bytes) -> wire.add(new Object[] {from, to, tag, bytes}));
    }
    return WoeBinning.simulate(
        BANK, bank, providers, train, configs, key, PaillierEngine.Options.defaults(), fed);
  }

  static LocalTable table(
      String name, List<String> ids, List<String> cols, int from, int[] labels) {
    double[][] c = new double[cols.size()][];
    for (int j = 0; j < cols.size(); j++) {
      c[j] = x[from + j];
    }
    return new LocalTable(name, ids, cols, c, labels);
  }

  /** Every column of the job in the clear: owner, table, column index, joined index. */
  record Clear(PartyId owner, LocalTable table, int j, String disclosed) {}

  static List<Clear> clearColumns(Map<PartyId, WoeBinningConfig> configs) {
    List<Clear> out = new ArrayList<>();
    for (int j = 0; j < bank.features(); j++) {
      out.add(new Clear(BANK, bank, j, bank.featureNames().get(j)));
    }
    for (var e : providers.entrySet()) {
      for (int j = 0; j < e.getValue().features(); j++) {
        out.add(
            new Clear(
                e.getKey(),
                e.getValue(),
                j,
                configs.get(e.getKey()).naming().disclose(j, e.getValue().featureNames().get(j))));
      }
    }
    return out;
  }

  /** The reference on the joined data: bins, counts and (same rules) grouping in the clear. */
  static WoeEvaluation clearReference(Clear c, Map<PartyId, WoeBinningConfig> configs) {
    ColumnBins bins = configs.get(c.owner()).binning().fit(c.table(), train).get(c.j());
    long[] rows = new long[bins.bins()];
    long[] events = new long[bins.bins()];
    for (int i : train) {
      int b = bins.binOf(c.table().value(i, c.j()));
      rows[b]++;
      events[b] += y[i];
    }
    return new BinStatistics(c.disclosed(), bins.regularBins(), rows, events)
        .evaluate(configs.get(BANK).rules());
  }

  @Test
  void federatedWoeAndIvEqualTheClearComputationOnTheJoinedData() {
    checkAgainstClear(plain, plainConfigs);
  }

  @Test
  void monotoneMergeGivesMonotoneWoeEqualToTheClearReference() {
    checkAgainstClear(monotone, monotoneConfigs);
    int merged = 0;
    for (ColumnIv c : monotone.bank().columns()) {
      assertThat(c.evaluation().isMonotone()).as(c.qualifiedName()).isTrue();
      merged += c.evaluation().original().regularBins() - c.evaluation().grouped().regularBins();
    }
    assertThat(merged).as("bins merged over all columns").isPositive();
    // The provider's merged bins keep its cut points and carry the bank's WOE.
    WoeColumn invoiced = monotone.providers().get(TAX).columns().get("invoiced_12m");
    assertThat(invoiced.bins().cutPoints())
        .isSubsetOf(
            monotoneConfigs.get(TAX).binning().fit(providers.get(TAX), train).get(0).cutPoints());
  }

  static void checkAgainstClear(WoeBinning.Outcome out, Map<PartyId, WoeBinningConfig> configs) {
    List<Clear> clear = clearColumns(configs);
    List<ColumnIv> fed = out.bank().columns();
    assertThat(fed).hasSize(clear.size());
    int events = 0;
    for (int i : train) {
      events += y[i];
    }
    for (int k = 0; k < clear.size(); k++) {
      Clear c = clear.get(k);
      ColumnIv f = fed.get(k);
      WoeEvaluation ref = clearReference(c, configs);
      assertThat(f.owner()).isEqualTo(c.owner());
      assertThat(f.column()).isEqualTo(c.disclosed());
      String name = f.qualifiedName();
      // Counts: exact.
      assertThat(f.evaluation().original().rows()).as(name).containsExactly(ref.original().rows());
      assertThat(f.evaluation().original().events())
          .as(name)
          .containsExactly(ref.original().events());
      assertThat(f.evaluation().groupOfBin()).as(name).containsExactly(ref.groupOfBin());
      // WOE and IV from the grouped counts by the textbook formula, written out here.
      long[] rows = ref.grouped().rows();
      long[] ev = ref.grouped().events();
      double iv = 0;
      double[] woe = f.evaluation().woe();
      for (int g = 0; g < rows.length; g++) {
        double expected = 0;
        if (rows[g] >= 5) {
          double e = ev[g];
          double ne = rows[g] - ev[g];
          if (e == 0 || ne == 0) {
            e += 0.5;
            ne += 0.5;
          }
          double good = ne / (train.length - events);
          double bad = e / events;
          expected = Math.log(good / bad);
          iv += (good - bad) * expected;
        }
        assertThat(woe[g]).as("%s group %d", name, g).isCloseTo(expected, Offset.offset(1e-12));
      }
      assertThat(f.iv()).as(name).isCloseTo(iv, Offset.offset(1e-12)).isPositive();
      // The owner got the same WOE per (merged) bin, and its bin sizes.
      WoeColumn owned =
          c.owner().equals(BANK)
              ? out.bank().ownColumns().get(c.table().featureNames().get(c.j()))
              : out.providers().get(c.owner()).columns().get(c.table().featureNames().get(c.j()));
      assertThat(owned.woe()).as(name).containsExactly(woe);
      assertThat(owned.rows()).as(name).containsExactly(rows);
    }
  }

  @Test
  void ivSelectionKeepsTheTopColumnsAndEachPartyKeepsOnlyItsOwn() {
    List<String> selected = plain.bank().selected();
    Map<String, Double> ivs = plain.bank().ivByColumn();
    assertThat(selected).hasSize(3);
    double lowestKept = selected.stream().mapToDouble(ivs::get).min().getAsDouble();
    for (var e : ivs.entrySet()) {
      if (!selected.contains(e.getKey())) {
        assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(lowestKept);
      }
    }
    for (var e : plain.providers().entrySet()) {
      PartyId p = e.getKey();
      List<String> own = new ArrayList<>();
      LocalTable t = providers.get(p);
      for (int j = 0; j < t.features(); j++) {
        String disclosed = plainConfigs.get(p).naming().disclose(j, t.featureNames().get(j));
        if (selected.contains(p + "/" + disclosed)) {
          own.add(t.featureNames().get(j));
        }
      }
      assertThat(e.getValue().selected()).as(p.name()).containsExactlyElementsOf(own);
      LocalTable woe = e.getValue().transform(t);
      assertThat(woe.featureNames()).containsExactlyElementsOf(own);
    }
    // Threshold selection in the monotone job.
    for (var e : monotone.bank().ivByColumn().entrySet()) {
      assertThat(monotone.bank().selected().contains(e.getKey())).isEqualTo(e.getValue() >= 0.02);
    }
  }

  @Test
  void everyCiphertextOnTheWireIsRandomised() throws Exception {
    int ciphertexts = 0;
    PaillierPublicKey seenKey = null;
    List<java.math.BigInteger> labelCiphertexts = new ArrayList<>();
    Set<java.math.BigInteger> countCiphertexts = new HashSet<>();
    for (Object[] m : wire) {
      String tag = (String) m[2];
      byte[] bytes = (byte[]) m[3];
      List<org.fedcredit.protocols.paillier.v1.EncryptedVector> vectors = new ArrayList<>();
      if (tag.equals(WoeBinningLabelParty.LABELS)) {
        EncryptedLabels l = EncryptedLabels.parseFrom(bytes);
        seenKey = PaillierKeyCodec.fromProto(l.getPublicKey(), KeySizePolicy.DEFAULT);
        vectors.add(l.getLabels());
      } else if (tag.equals(WoeBinningLabelParty.COUNTS)) {
        for (ColumnBinCounts c : BinCounts.parseFrom(bytes).getColumnsList()) {
          vectors.add(c.getEncryptedEvents());
        }
      }
      for (var v : vectors) {
        EncryptedVector ev = EncryptedVector.fromProto(v, key.publicKey());
        for (int i = 0; i < ev.size(); i++) {
          (tag.equals(WoeBinningLabelParty.LABELS) ? labelCiphertexts : countCiphertexts)
              .add(ev.get(i));
        }
        assertThat(ev.firstUnrandomised()).as(tag).isEmpty();
        ciphertexts += ev.size();
      }
    }
    assertThat(seenKey).isEqualTo(key.publicKey());
    // No provider returns one of the bank's label ciphertexts (a one-row bin's sum, unrandomised).
    assertThat(labelCiphertexts).hasSize(2 * train.length);
    assertThat(countCiphertexts).doesNotContainAnyElementsOf(labelCiphertexts);
    WoeEvaluation growth = plain.bank().columns().get(3).evaluation();
    assertThat(growth.original().rows()[4]).isEqualTo(1);
    assertThat(growth.groupOfBin()[4]).isEqualTo(growth.groupOfBin()[3]);
    assertThat(seenKey.bits()).isEqualTo(2048);
    assertThat(ciphertexts).isGreaterThan(2 * train.length);
  }

  @Test
  void noRawValueCutPointOrLabelLeavesItsOwner() {
    byte[] labelRun = new byte[32];
    StringBuilder labelChars = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      labelRun[i] = (byte) y[train[i]];
      labelChars.append(y[train[i]]);
    }
    String labelBytes = new String(labelRun, StandardCharsets.ISO_8859_1);
    long scanned = 0;
    int fromProviders = 0;
    for (Object[] m : wire) {
      PartyId from = (PartyId) m[0];
      byte[] bytes = (byte[]) m[3];
      scanned += bytes.length;
      LocalTable own = from.equals(BANK) ? bank : providers.get(from);
      Set<Long> doubles = new HashSet<>();
      List<String> texts = new ArrayList<>();
      for (int j = 0; j < own.features(); j++) {
        for (int i = 0; i < ROWS; i++) {
          double v = own.value(i, j);
          if (!Double.isNaN(v) && v != 0 && v != 1) { // 0/1 indicators are indistinguishable
            addDouble(doubles, texts, v);
          }
        }
      }
      for (ColumnBins b : plainConfigs.get(from).binning().fit(own, train)) {
        for (double cut : b.cutPoints()) {
          addDouble(doubles, texts, cut);
        }
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
      for (int i = 0; i + 8 <= bytes.length; i++) {
        assertThat(doubles.contains(buf.getLong(i)))
            .as("an IEEE-754 raw value or cut point of %s in %s at byte %d", from, m[2], i)
            .isFalse();
      }
      String text = WireText.of(bytes);
      for (String t : texts) {
        assertThat(text.contains(t)).as("value %s of %s in %s", t, from, m[2]).isFalse();
      }
      if (from.equals(BANK)) {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(raw).as("labels in %s", m[2]).doesNotContain(labelBytes);
        assertThat(raw).as("labels in %s", m[2]).doesNotContain(labelChars);
      } else {
        fromProviders++;
      }
    }
    assertThat(fromProviders).isEqualTo(2);
    assertThat(scanned).isGreaterThan(train.length * 512L);
  }

  static void addDouble(Set<Long> doubles, List<String> texts, double v) {
    long bits = Double.doubleToRawLongBits(v);
    doubles.add(bits);
    doubles.add(Long.reverseBytes(bits));
    texts.add(Double.toString(v));
  }
}
