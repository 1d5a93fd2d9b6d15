package org.fedcredit.modelzoo.lr;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.lr.v1.EpochDecision;
import org.fedcredit.secagg.encoding.FixedPointEncoder;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.EncodingDescriptor;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;

/**
 * A data provider in vertical LR: holds features only, keeps its own weights. Per mini-batch it
 * sends its encrypted partial scores {@code [[X_k·w_k]]}, receives the encrypted residual {@code
 * [[d]]}, computes its encrypted gradient {@code X_kᵀ·[[d]]} by multi-exponentiation, adds a fresh
 * random mask before the coordinator decrypts it, and removes the mask afterwards.
 */
public final class FeaturePartyRole {

  private final Federation fed;
  private final PartyId labelParty;
  private final PartyId coordinator;
  private final List<PartyId> featureParties;
  private final LocalTable table;
  private final VerticalLrConfig config;
  private final PaillierEngine.Options engineOptions;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param featureParties all feature parties of the job in a fixed order, this one included (cross
   *     terms of the loss flow from earlier to later ones)
   * @param table this party's rows, already aligned (PSI order)
   */
  public FeaturePartyRole(
      Federation fed,
      PartyId labelParty,
      PartyId coordinator,
      List<PartyId> featureParties,
      LocalTable table,
      VerticalLrConfig config,
      PaillierEngine.Options engineOptions) {
    this.fed = fed;
    this.labelParty = labelParty;
    this.coordinator = coordinator;
    this.featureParties = List.copyOf(featureParties);
    this.table = table;
    this.config = config;
    this.engineOptions = engineOptions;
    LrMath.requireComplete(table);
  }

  /** This party's trained weights, one per column of its table. */
  public record Result(List<String> featureNames, double[] weights, int epochsRun) {}

  public Result run() {
    PaillierPublicKey key =
        PaillierKeyCodec.fromProto(
            fed.receive(
                coordinator, "lr/key", org.fedcredit.protocols.paillier.v1.PaillierPublicKey.class),
            KeySizePolicy.DEFAULT);
    int me = featureParties.indexOf(fed.self());
    BigInteger n = key.n();
    int f = config.valueScaleBits();
    FixedPointEncoder atF = new FixedPointEncoder(n, f);
    FixedPointEncoder at2F = new FixedPointEncoder(n, 2 * f);
    double[] w = new double[table.features()];
    int epochsRun = 0;
    try (HomomorphicEngine engine = config.crypto().publicEngine(key, engineOptions)) {
      for (int e = 0; e < config.epochs(); e++) {
        int[][] batches = Batches.ofEpoch(table.rows(), config.batchSize(), config.seed(), e);
        for (int b = 0; b < batches.length; b++) {
          int[] rows = batches[b];
          double[] u = LrMath.partialScores(table, rows, w, 0);
          Ciphertext[] encU = engine.encrypt(atF.encode(u));
          EncryptedVector wireU = engine.toWire(encU, EncodingDescriptor.fixedPoint(f, u.length));
          fed.send(labelParty, LrMath.tag(e, b, "partial-scores"), wireU.toProto());
          for (int later = me + 1; later < featureParties.size(); later++) {
            fed.send(
                featureParties.get(later), LrMath.tag(e, b, "partial-scores"), wireU.toProto());
          }
          double squares = 0;
          for (double v : u) {
            squares += v * v;
          }
          Ciphertext encSq = engine.encrypt(at2F.encode(squares));
          fed.send(
              labelParty,
              LrMath.tag(e, b, "sum-of-squares"),
              engine
                  .toWire(new Ciphertext[] {encSq}, EncodingDescriptor.fixedPoint(2 * f, 1))
                  .toProto());
          long[] myU = new long[u.length];
          for (int i = 0; i < u.length; i++) {
            myU[i] = Math.round(Math.scalb(u[i], f));
          }
          for (int earlier = 0; earlier < me; earlier++) {
            PartyId other = featureParties.get(earlier);
            Ciphertext[] theirs =
                engine.fromWire(
                    LrMath.receiveVector(fed, other, LrMath.tag(e, b, "partial-scores"), key));
            Ciphertext[] cross =
                engine.rerandomize(engine.multiplyMatrix(theirs, new long[][] {myU}));
            fed.send(
                labelParty,
                LrMath.tag(e, b, "cross/" + other),
                engine.toWire(cross, EncodingDescriptor.fixedPoint(2 * f, 1)).toProto());
          }
          Ciphertext[] residual =
              engine.fromWire(
                  LrMath.receiveVector(fed, labelParty, LrMath.tag(e, b, "residual"), key));
          double[] grad =
              GradientExchange.maskedGradient(
                  fed,
                  coordinator,
                  engine,
                  residual,
                  LrMath.fixedColumns(table, rows, config.featureScaleBits(), false),
                  e,
                  b,
                  config,
                  random);
          double lr = config.learningRate(e);
          for (int j = 0; j < w.length; j++) {
            w[j] -= lr * (grad[j] + config.l2() * w[j]);
          }
        }
        epochsRun = e + 1;
        EpochDecision d = fed.receive(coordinator, "lr/" + e + "/decision", EpochDecision.class);
        if (d.getStop()) {
          break;
        }
      }
    }
    return new Result(table.featureNames(), w, epochsRun);
  }
}
