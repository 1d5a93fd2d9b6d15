package org.fedcredit.modelzoo.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
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
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.WireText;
import org.fedcredit.protocols.lr.v1.PlainIntegers;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One small federated run (240 rows, a bank and two providers, 2048-bit key) checked against the
 * centralised reference and against the privacy rules of DESIGN.md §2.
 */
class VerticalLogisticRegressionTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");
  static final PartyId COORDINATOR = PartyId.of("coordinator");
  static final int ROWS = 240;
  static final VerticalLrConfig CONFIG =
      VerticalLrConfig.defaults().withEpochs(3).withBatchSize(64).withTolerance(0);

  static double[][] x;
  static int[] y;
  static LocalTable bank;
  static Map<PartyId, LocalTable> providers;
  static VerticalLogisticRegression.Model model;
  static final List<Object[]> wire = new CopyOnWriteArrayList<>(); // {from, to, tag, bytes}

  @BeforeAll
  static void train() {
    Random r = new Random(7);
    x = new double[ROWS][7];
    y = new int[ROWS];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      ids.add("e" + i);
      double z = 0;
      for (int j = 0; j < 7; j++) {
        x[i][j] = r.nextGaussian();
        z += (j % 2 == 0 ? 0.8 : -0.5) * x[i][j];
      }
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    bank = table("bank", ids, 0, 3, y);
    providers = new LinkedHashMap<>();
    providers.put(TAX, table("tax", ids, 3, 5, null));
    providers.put(UTILITY, table("utility", ids, 5, 7, null));
    InMemoryFederation fed =
        new InMemoryFederation(
            VerticalLogisticRegression.parties(BANK, providers.keySet(), COORDINATOR));
    fed.observe((from, to, tag, bytes) -> wire.add(new Object[] {from, to, tag, bytes}));
    model =
        VerticalLogisticRegression.simulate(
            BANK, bank, providers, COORDINATOR, CONFIG, PaillierEngine.Options.defaults(), fed);
  }

  static LocalTable table(String name, List<String> ids, int from, int to, int[] labels) {
    double[][] cols = new double[to - from][ROWS];
    List<String> names = new ArrayList<>();
    for (int j = from; j < to; j++) {
      names.add("x" + j);
      for (int i = 0; i < ROWS; i++) {
        cols[j - from][i] = x[i][j];
      }
    }
    return new LocalTable(name, ids, names, cols, labels);
  }

  @Test
  void federatedWeightsEqualTheCentralisedReference() {
    double[] ref = TaylorLogisticRegression.fit(x, y, CONFIG);
    double[] fed = new double[8];
    System.arraycopy(model.bank().weights(), 0, fed, 0, 3);
    System.arraycopy(model.providers().get(TAX).weights(), 0, fed, 3, 2);
    System.arraycopy(model.providers().get(UTILITY).weights(), 0, fed, 5, 2);
    fed[7] = model.bank().intercept();
    for (int j = 0; j < 8; j++) {
      assertThat(fed[j])
          .as("weight %d", j)
          .isCloseTo(ref[j], org.assertj.core.data.Offset.offset(1e-4));
    }
    // The model learned the planted signs.
    assertThat(fed[0]).isPositive();
    assertThat(fed[1]).isNegative();
  }

  @Test
  void theRevealedLossIsTheTaylorLossAndFalls() {
    double[] losses = model.coordinator().epochLosses();
    assertThat(losses).hasSize(3);
    assertThat(losses[0]).isLessThan(Math.log(2)).isGreaterThan(0.4);
    assertThat(losses[2]).isLessThan(losses[0]);
    assertThat(model.bank().epochLosses()).containsExactly(losses);
  }

  @Test
  void noRawValueOrLabelLeavesItsOwner() {
    Map<PartyId, int[]> columns =
        Map.of(BANK, new int[] {0, 3}, TAX, new int[] {3, 5}, UTILITY, new int[] {5, 7});
    byte[] labelRun = new byte[32];
    for (int i = 0; i < 32; i++) {
      labelRun[i] = (byte) y[i];
    }
    String labelText = new String(labelRun, StandardCharsets.ISO_8859_1);
    long scanned = 0;
    for (Object[] m : wire) {
      PartyId from = (PartyId) m[0];
      byte[] bytes = (byte[]) m[3];
      scanned += bytes.length;
      int[] range = columns.get(from);
      if (range == null) {
        continue; // the coordinator holds no data
      }
      Set<Long> doubles = new HashSet<>();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < ROWS; i++) {
        for (int j = range[0]; j < range[1]; j++) {
          long bits = Double.doubleToRawLongBits(x[i][j]);
          doubles.add(bits);
          doubles.add(Long.reverseBytes(bits));
          texts.add(Double.toString(x[i][j]));
        }
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
      for (int i = 0; i + 8 <= bytes.length; i++) {
        assertThat(doubles.contains(buf.getLong(i)))
            .as("an IEEE-754 raw value of %s in %s at byte %d", from, m[2], i)
            .isFalse();
      }
      String text = WireText.of(bytes);
      for (String t : texts) {
        assertThat(text.contains(t)).as("raw value %s of %s in %s", t, from, m[2]).isFalse();
      }
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1).contains(labelText))
          .as("label run in %s", m[2])
          .isFalse();
    }
    assertThat(scanned).isGreaterThan(100_000);
  }

  @Test
  void everyCiphertextOnTheWireIsRandomised() throws Exception {
    PaillierPublicKey key = null;
    for (Object[] m : wire) {
      if (m[2].equals("lr/key")) {
        key =
            PaillierKeyCodec.fromProto(
                org.fedcredit.protocols.paillier.v1.PaillierPublicKey.parseFrom((byte[]) m[3]),
                KeySizePolicy.DEFAULT);
      }
    }
    assertThat(key).isNotNull();
    assertThat(key.bits()).isEqualTo(2048);
    int ciphertexts = 0;
    for (Object[] m : wire) {
      String tag = (String) m[2];
      if (tag.equals("lr/key") || tag.endsWith("decision") || tag.endsWith("masked-plain")) {
        continue;
      }
      EncryptedVector v =
          EncryptedVector.fromProto(
              org.fedcredit.protocols.paillier.v1.EncryptedVector.parseFrom((byte[]) m[3]), key);
      assertThat(v.firstUnrandomised()).as(tag).isEmpty();
      ciphertexts += v.size();
    }
    assertThat(ciphertexts).isGreaterThan(ROWS * 3 * 3);
  }

  @Test
  void theCoordinatorDecryptsOnlyMaskedGradients() throws Exception {
    // Epoch 0, batch 0 starts from zero weights, so the bank's true gradient is known exactly:
    // G_j = Σ_i round(x_ij·2^Fx) · (−2y'_i·2^F).
    int[] rows = Batches.ofEpoch(ROWS, CONFIG.batchSize(), CONFIG.seed(), 0)[0];
    long[][] cols = LrMath.fixedColumns(bank, rows, CONFIG.featureScaleBits(), true);
    BigInteger[] truth = new BigInteger[cols.length];
    for (int j = 0; j < cols.length; j++) {
      BigInteger g = BigInteger.ZERO;
      for (int r = 0; r < rows.length; r++) {
        long d = -2L * (2L * y[rows[r]] - 1) << CONFIG.valueScaleBits();
        g = g.add(BigInteger.valueOf(cols[j][r]).multiply(BigInteger.valueOf(d)));
      }
      truth[j] = g;
    }
    BigInteger[] seen = null;
    BigInteger n = null;
    for (Object[] m : wire) {
      if (m[2].equals("lr/key")) {
        n =
            PaillierKeyCodec.fromProto(
                    org.fedcredit.protocols.paillier.v1.PaillierPublicKey.parseFrom((byte[]) m[3]),
                    KeySizePolicy.DEFAULT)
                .n();
      }
      if (m[1].equals(BANK) && m[2].equals("lr/0/0/gradient-masked-plain")) {
        seen = LrMath.plain(PlainIntegers.parseFrom((byte[]) m[3]));
      }
    }
    assertThat(seen).hasSize(truth.length);
    for (int j = 0; j < truth.length; j++) {
      BigInteger mask = seen[j].subtract(truth[j]).mod(n);
      assertThat(seen[j]).isNotEqualTo(truth[j].mod(n));
      // What the coordinator saw is the truth plus a mask of 65..128 bits (a 128-bit uniform mask
      // is below 2^64 with probability 2^-64).
      assertThat(mask.bitLength()).isBetween(65, CONFIG.maskBits());
    }
  }
}
