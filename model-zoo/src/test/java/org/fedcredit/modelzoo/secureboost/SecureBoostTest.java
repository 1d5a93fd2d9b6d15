package org.fedcredit.modelzoo.secureboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.WireText;
import org.fedcredit.protocols.secureboost.v1.PackedGradients;
import org.fedcredit.protocols.secureboost.v1.SplitCandidates;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two small federated runs with real 2048-bit Paillier (400 rows, 3 trees of depth 3, 8 bins): bank
 * + two providers with missing values and sample weights, and bank + one provider with GOSS. Both
 * are checked against {@link PlainSecureBoost} and the privacy rules of DESIGN.md §2.
 */
class SecureBoostTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");
  static final int ROWS = 400;
  static final int HOLDOUT = 120;
  static final int TREES = 3;
  static final SecureBoostConfig CONFIG =
      SecureBoostConfig.defaults()
          .withTrees(TREES)
          .withMaxDepth(3)
          .withMaxBins(8)
          .withMinSamplesLeaf(10);
  static final SecureBoostConfig GOSS = CONFIG.withGoss(0.3, 0.3);

  // Columns: bank 0-1, tax 2-3, utility 4-5.
  static double[][] x;
  static double[][] xHold;
  static int[] y;
  static double[] weights;
  static Map<PartyId, int[]> columns =
      Map.of(BANK, new int[] {0, 2}, TAX, new int[] {2, 4}, UTILITY, new int[] {4, 6});
  static Map<PartyId, BinnedTable> train = new LinkedHashMap<>();
  static Map<PartyId, BinnedTable> hold = new LinkedHashMap<>();

  static SecureBoost.Model twoProviders;
  static SecureBoost.Model goss;
  static InMemoryFederation fed2;
  static InMemoryFederation fed1;
  static final List<Object[]> wire = new CopyOnWriteArrayList<>(); // {from, to, tag, bytes}

  @BeforeAll
  static void train() {
    Random r = new Random(11);
    x = new double[ROWS][];
    y = new int[ROWS];
    weights = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      x[i] = row(r);
      y[i] = label(x[i], r);
      missing(x[i], y[i], r);
      weights[i] = 0.5 + r.nextDouble();
    }
    xHold = new double[HOLDOUT][];
    for (int i = 0; i < HOLDOUT; i++) {
      xHold[i] = row(r);
      missing(xHold[i], label(xHold[i], r), r);
    }
    for (PartyId p : List.of(BANK, TAX, UTILITY)) {
      int[] c = columns.get(p);
      List<String> names = List.of(p.name() + "-a", p.name() + "-b");
      TreeBinning b = TreeBinning.fit(names, slice(x, c), CONFIG.maxBins());
      train.put(p, b.apply(slice(x, c)));
      hold.put(p, b.apply(slice(xHold, c)));
    }
    fed2 = new InMemoryFederation(SecureBoost.parties(BANK, Set.of(TAX, UTILITY)));
    fed2.observe((from, to, tag, bytes) -> wire.add(new Object[] {from, to, tag, bytes}));
    Map<PartyId, BinnedTable> providers = new LinkedHashMap<>();
    providers.put(TAX, train.get(TAX));
    providers.put(UTILITY, train.get(UTILITY));
    twoProviders =
        SecureBoost.simulate(
            BANK,
            train.get(BANK),
            y,
            weights,
            providers,
            CONFIG,
            PaillierEngine.Options.defaults(),
            fed2);
    fed1 = new InMemoryFederation(SecureBoost.parties(BANK, Set.of(TAX)));
    double[] ones = new double[ROWS];
    Arrays.fill(ones, 1.0);
    goss =
        SecureBoost.simulate(
            BANK,
            train.get(BANK),
            y,
            ones,
            Map.of(TAX, train.get(TAX)),
            GOSS,
            PaillierEngine.Options.defaults(),
            fed1);
  }

  static double[] row(Random r) {
    double[] v = new double[6];
    for (int j = 0; j < 6; j++) {
      v[j] = Math.round(r.nextGaussian() * 1000) / 1000.0 + j; // some ties, distinct per column
    }
    return v;
  }

  static int label(double[] v, Random r) {
    double z = 1.2 * (v[0] - 0) - 0.8 * (v[2] - 2) + 1.0 * (v[4] - 4) - 0.6 * (v[5] - 5);
    return r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }

  /** Utility column 5 is missing far more often for defaulters: its direction is informative. */
  static void missing(double[] v, int label, Random r) {
    if (r.nextDouble() < (label == 1 ? 0.35 : 0.05)) {
      v[5] = Double.NaN;
    }
    if (r.nextDouble() < 0.1) {
      v[1] = Double.NaN;
    }
  }

  static double[][] slice(double[][] rows, int[] c) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = Arrays.copyOfRange(rows[i], c[0], c[1]);
    }
    return out;
  }

  static void assertSameTrees(List<BoostedTree> federated, List<BoostedTree> reference) {
    assertThat(federated).hasSameSizeAs(reference);
    for (int t = 0; t < reference.size(); t++) {
      Map<Integer, TreeNode> f = federated.get(t).nodes();
      Map<Integer, TreeNode> ref = reference.get(t).nodes();
      assertThat(f.keySet()).as("node ids of tree %d", t).isEqualTo(ref.keySet());
      for (var e : ref.entrySet()) {
        TreeNode fn = f.get(e.getKey());
        if (e.getValue() instanceof TreeNode.Leaf leaf) {
          assertThat(fn).as("tree %d node %d", t, e.getKey()).isInstanceOf(TreeNode.Leaf.class);
          assertThat(((TreeNode.Leaf) fn).weight())
              .as("leaf %d of tree %d", e.getKey(), t)
              .isCloseTo(leaf.weight(), within(1e-9));
        } else {
          assertThat(fn).as("tree %d node %d", t, e.getKey()).isEqualTo(e.getValue());
        }
      }
    }
  }

  static Set<Integer> splitParties(List<BoostedTree> trees) {
    Set<Integer> out = new HashSet<>();
    for (BoostedTree t : trees) {
      for (TreeNode n : t.nodes().values()) {
        if (n instanceof TreeNode.Split s) {
          out.add(s.party());
        }
      }
    }
    return out;
  }

  @Test
  void twoProvidersGrowTheReferenceTrees() {
    PlainSecureBoost.Model ref =
        PlainSecureBoost.fit(
            List.of(train.get(BANK), train.get(TAX), train.get(UTILITY)), y, weights, CONFIG);
    List<BoostedTree> fed = twoProviders.assembledTrees();
    assertSameTrees(fed, ref.trees());
    // Splits at the bank and at both providers: the comparison covers every path.
    assertThat(splitParties(fed)).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(twoProviders.bank().trainingMargins())
        .containsExactly(
            ref.margins(List.of(train.get(BANK), train.get(TAX), train.get(UTILITY))),
            within(1e-9));
  }

  @Test
  void predictionsEqualTheReference() {
    PlainSecureBoost.Model ref =
        PlainSecureBoost.fit(
            List.of(train.get(BANK), train.get(TAX), train.get(UTILITY)), y, weights, CONFIG);
    Map<PartyId, BinnedTable> providers = new LinkedHashMap<>();
    providers.put(TAX, hold.get(TAX));
    providers.put(UTILITY, hold.get(UTILITY));
    double[] fed =
        SecureBoost.predict(BANK, twoProviders, hold.get(BANK), providers, "holdout", fed2)
            .margins();
    assertThat(fed)
        .containsExactly(
            ref.margins(List.of(hold.get(BANK), hold.get(TAX), hold.get(UTILITY))), within(1e-9));
    // The model learned something: margins are not all equal.
    assertThat(Arrays.stream(fed).distinct().count()).isGreaterThan(5);
  }

  @Test
  void missingValuesFollowTheLearnedDefaultDirection() {
    // A provider split on the informative, often-missing utility column exists...
    List<SplitRule> onMissingColumn = new ArrayList<>();
    for (BoostedTree t : twoProviders.assembledTrees()) {
      for (TreeNode n : t.nodes().values()) {
        if (n instanceof TreeNode.Split s && s.party() == 2 && s.rule().feature() == 1) {
          onMissingColumn.add(s.rule());
        }
      }
    }
    assertThat(onMissingColumn).isNotEmpty();
    // ...and hold-out rows missing it are routed by its learned default, as in the reference.
    List<Integer> missingRows = new ArrayList<>();
    for (int i = 0; i < HOLDOUT; i++) {
      if (hold.get(UTILITY).bins()[i][1] == BinnedTable.MISSING) {
        missingRows.add(i);
      }
    }
    assertThat(missingRows).hasSizeGreaterThan(3);
    PlainSecureBoost.Model ref =
        PlainSecureBoost.fit(
            List.of(train.get(BANK), train.get(TAX), train.get(UTILITY)), y, weights, CONFIG);
    double[] expected = ref.margins(List.of(hold.get(BANK), hold.get(TAX), hold.get(UTILITY)));
    Map<PartyId, BinnedTable> providers = new LinkedHashMap<>();
    providers.put(TAX, hold.get(TAX));
    providers.put(UTILITY, hold.get(UTILITY));
    double[] fed =
        SecureBoost.predict(BANK, twoProviders, hold.get(BANK), providers, "missing", fed2)
            .margins();
    for (int i : missingRows) {
      assertThat(fed[i]).as("hold-out row %d", i).isCloseTo(expected[i], within(1e-9));
    }
  }

  @Test
  void gossIsStillLossless() {
    double[] ones = new double[ROWS];
    Arrays.fill(ones, 1.0);
    PlainSecureBoost.Model ref =
        PlainSecureBoost.fit(List.of(train.get(BANK), train.get(TAX)), y, ones, GOSS);
    assertSameTrees(goss.assembledTrees(), ref.trees());
    assertThat(splitParties(goss.assembledTrees())).contains(1);
    double[] fed =
        SecureBoost.predict(
                BANK, goss, hold.get(BANK), Map.of(TAX, hold.get(TAX)), "goss-holdout", fed1)
            .margins();
    assertThat(fed)
        .containsExactly(ref.margins(List.of(hold.get(BANK), hold.get(TAX))), within(1e-9));
    // GOSS changes the trees: without it the reference differs.
    PlainSecureBoost.Model full =
        PlainSecureBoost.fit(List.of(train.get(BANK), train.get(TAX)), y, ones, CONFIG);
    assertThat(full.trees()).isNotEqualTo(ref.trees());
  }

  @Test
  void providersBuildChildHistogramsBySubtraction() {
    for (var e : twoProviders.providers().entrySet()) {
      SecureBoostFeatureParty.Result r = e.getValue();
      assertThat(r.histogramsBySubtraction()).as("%s", e.getKey()).isPositive();
      // One root per tree from rows, then one smaller child from rows per split whose children
      // are expanded, and its sibling by subtraction.
      assertThat(r.histogramsFromRows() - r.histogramsBySubtraction()).isEqualTo(TREES);
      // Fewer histograms built from rows than nodes answered.
      assertThat(r.histogramsFromRows()).isLessThan(r.candidateOrders().size());
    }
  }

  @Test
  void everyCiphertextOnTheWireIsRandomised() throws Exception {
    PaillierPublicKey key = null;
    for (Object[] m : wire) {
      if (m[2].equals("sb/key") && m[1].equals(TAX)) {
        key =
            PaillierKeyCodec.fromProto(
                org.fedcredit.protocols.paillier.v1.PaillierPublicKey.parseFrom((byte[]) m[3]),
                KeySizePolicy.DEFAULT);
      }
    }
    assertThat(key).isNotNull();
    assertThat(key.bits()).isEqualTo(2048);
    int ciphertexts = 0;
    int candidateMessages = 0;
    for (Object[] m : wire) {
      String tag = (String) m[2];
      EncryptedVector v;
      if (tag.endsWith("/gradients")) {
        v = EncryptedVector.fromProto(PackedGradients.parseFrom((byte[]) m[3]).getGh(), key);
      } else if (tag.endsWith("/candidates")) {
        v =
            EncryptedVector.fromProto(
                SplitCandidates.parseFrom((byte[]) m[3]).getPackedLeftSums(), key);
        candidateMessages++;
      } else {
        continue;
      }
      assertThat(v.firstUnrandomised()).as(tag).isEmpty();
      ciphertexts += v.size();
    }
    assertThat(candidateMessages).isGreaterThan(2 * TREES);
    assertThat(ciphertexts).isGreaterThan(2 * TREES * ROWS);
  }

  @Test
  void theBankSeesNoProviderValueAndOnlyShuffledCandidateIds() {
    long scanned = 0;
    for (PartyId p : List.of(TAX, UTILITY)) {
      int[] c = columns.get(p);
      Set<Long> doubles = new HashSet<>();
      List<String> texts = new ArrayList<>();
      for (double[] row : concat(x, xHold)) {
        for (int j = c[0]; j < c[1]; j++) {
          if (!Double.isNaN(row[j])) {
            long bits = Double.doubleToRawLongBits(row[j]);
            doubles.add(bits);
            doubles.add(Long.reverseBytes(bits));
            texts.add(Double.toString(row[j]));
          }
        }
      }
      for (Object[] m : wire) {
        if (!m[0].equals(p)) {
          continue;
        }
        byte[] bytes = (byte[]) m[3];
        scanned += bytes.length;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i + 8 <= bytes.length; i++) {
          assertThat(doubles.contains(buf.getLong(i)))
              .as("an IEEE-754 raw value of %s in %s at byte %d", p, m[2], i)
              .isFalse();
        }
        String text = WireText.of(bytes);
        for (String t : texts) {
          assertThat(text.contains(t)).as("raw value %s of %s in %s", t, p, m[2]).isFalse();
        }
      }
      // The ids the bank saw are a private permutation of the candidates, different per node.
      SecureBoostFeatureParty.Result r = twoProviders.providers().get(p);
      Set<List<Integer>> distinct = new HashSet<>();
      for (int[] order : r.candidateOrders().values()) {
        // A permutation of the offered canonical indices: every threshold with missing values
        // going right (even index), with missing values going left (odd) only where the node has
        // a missing bin.
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] evens = Arrays.stream(sorted).filter(i -> i % 2 == 0).toArray();
        for (int k = 0; k < evens.length; k++) {
          assertThat(evens[k]).isEqualTo(2 * k);
        }
        for (int k = 1; k < sorted.length; k++) {
          assertThat(sorted[k]).isGreaterThan(sorted[k - 1]);
        }
        assertThat(sorted[sorted.length - 1]).isLessThanOrEqualTo(2 * evens.length - 1);
        distinct.add(Arrays.stream(order).boxed().toList());
      }
      assertThat(r.candidateOrders()).hasSizeGreaterThan(2);
      assertThat(distinct).hasSameSizeAs(r.candidateOrders().values());
    }
    assertThat(scanned).isGreaterThan(20_000);
  }

  @Test
  void providersReceiveNoGradientHessianOrLabelInTheClear() {
    // Tree 0 starts from margin 0: g = (½ − y)·w and h = ¼·w exactly.
    Set<Long> values = new HashSet<>();
    for (int i = 0; i < ROWS; i++) {
      for (double v : new double[] {(0.5 - y[i]) * weights[i], 0.25 * weights[i]}) {
        long bits = Double.doubleToRawLongBits(v);
        values.add(bits);
        values.add(Long.reverseBytes(bits));
      }
    }
    byte[] labelRun = new byte[32];
    for (int i = 0; i < 32; i++) {
      labelRun[i] = (byte) y[i];
    }
    String labelText = new String(labelRun, StandardCharsets.ISO_8859_1);
    long scanned = 0;
    for (Object[] m : wire) {
      if (!m[0].equals(BANK)) {
        continue;
      }
      byte[] bytes = (byte[]) m[3];
      scanned += bytes.length;
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
      for (int i = 0; i + 8 <= bytes.length; i++) {
        assertThat(values.contains(buf.getLong(i)))
            .as("a gradient or hessian in %s to %s at byte %d", m[2], m[1], i)
            .isFalse();
      }
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(text.contains(labelText)).as("label run in %s", m[2]).isFalse();
    }
    assertThat(scanned).isGreaterThan(2L * TREES * ROWS * 512);
  }

  static double[][] concat(double[][] a, double[][] b) {
    double[][] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
