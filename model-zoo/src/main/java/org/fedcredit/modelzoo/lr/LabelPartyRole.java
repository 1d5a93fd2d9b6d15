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
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;

/**
 * The bank in vertical LR: holds the labels, its own features and the intercept. Per mini-batch it
 * adds the providers' encrypted partial scores to its own to form the encrypted residual {@code
 * [[D]] = [[X·w − 2y']]} ({@code y' = 2y − 1 ∈ {−1, 1}}; the gradient of the Taylor loss {@code log
 * 2 − ½y'u + ⅛u²} is {@code D/4}), sends it to every provider, updates its own weights through the
 * masked exchange, and accumulates the epoch's loss under encryption.
 */
public final class LabelPartyRole {

  private final Federation fed;
  private final PartyId coordinator;
  private final List<PartyId> featureParties;
  private final LocalTable table;
  private final VerticalLrConfig config;
  private final PaillierEngine.Options engineOptions;
  private final SecureRandom random = new SecureRandom();

  public LabelPartyRole(
      Federation fed,
      PartyId coordinator,
      List<PartyId> featureParties,
      LocalTable table,
      VerticalLrConfig config,
      PaillierEngine.Options engineOptions) {
    if (!table.hasLabels()) {
      throw new IllegalArgumentException(table.source() + ": the label party needs a label column");
    }
    this.fed = fed;
    this.coordinator = coordinator;
    this.featureParties = List.copyOf(featureParties);
    this.table = table;
    this.config = config;
    this.engineOptions = engineOptions;
    LrMath.requireComplete(table);
  }

  /** The bank's weights (one per column), its intercept and the coordinator's loss per epoch. */
  public record Result(
      List<String> featureNames, double[] weights, double intercept, double[] epochLosses) {}

  public Result run() {
    PaillierPublicKey key =
        PaillierKeyCodec.fromProto(
            fed.receive(
                coordinator, "lr/key", org.fedcredit.protocols.paillier.v1.PaillierPublicKey.class),
            KeySizePolicy.DEFAULT);
    BigInteger n = key.n();
    int f = config.valueScaleBits();
    FixedPointEncoder atF = new FixedPointEncoder(n, f);
    FixedPointEncoder at2F = new FixedPointEncoder(n, 2 * f);
    int d = table.features();
    double[] w = new double[d + 1]; // last = intercept
    double[] losses = new double[config.epochs()];
    int epochsRun = 0;
    try (HomomorphicEngine engine = config.crypto().publicEngine(key, engineOptions)) {
      for (int e = 0; e < config.epochs(); e++) {
        int[][] batches = Batches.ofEpoch(table.rows(), config.batchSize(), config.seed(), e);
        Ciphertext epochLoss = null;
        for (int b = 0; b < batches.length; b++) {
          int[] rows = batches[b];
          int m = rows.length;
          double[] uB = LrMath.partialScores(table, rows, java.util.Arrays.copyOf(w, d), w[d]);
          double[] yp = new double[m];
          long[] ypLong = new long[m];
          long[] uBLong = new long[m];
          for (int i = 0; i < m; i++) {
            yp[i] = 2.0 * table.label(rows[i]) - 1;
            ypLong[i] = (long) yp[i];
            uBLong[i] = Math.round(Math.scalb(uB[i], f));
          }
          // Providers' encrypted partial scores and loss terms.
          Ciphertext[][] uK = new Ciphertext[featureParties.size()][];
          Ciphertext lossEnc = null;
          for (int k = 0; k < featureParties.size(); k++) {
            PartyId p = featureParties.get(k);
            uK[k] =
                engine.fromWire(
                    LrMath.receiveVector(fed, p, LrMath.tag(e, b, "partial-scores"), key));
            Ciphertext sq =
                engine
                    .fromWire(
                        LrMath.receiveVector(fed, p, LrMath.tag(e, b, "sum-of-squares"), key))[0];
            lossEnc = lossEnc == null ? sq : engine.add(lossEnc, sq);
            for (int earlier = 0; earlier < k; earlier++) {
              Ciphertext cross =
                  engine
                      .fromWire(
                          LrMath.receiveVector(
                              fed,
                              p,
                              LrMath.tag(e, b, "cross/" + featureParties.get(earlier)),
                              key))[0];
              lossEnc = engine.add(lossEnc, engine.multiply(cross, 2));
            }
            // −4·2^F·Σ y'·u_k  +  2·Σ u_B·u_k, both at scale 2^(2F).
            long[] c0 = new long[m];
            long[] c1 = new long[m];
            for (int i = 0; i < m; i++) {
              c0[i] = -4L * ypLong[i] << f;
              c1[i] = 2 * uBLong[i];
            }
            Ciphertext[] terms = engine.multiplyMatrix(uK[k], new long[][] {c0, c1});
            lossEnc = engine.add(lossEnc, engine.add(terms[0], terms[1]));
          }
          // [[D]] = Enc(u_B − 2y') + Σ [[u_k]]: fresh encryption, so every sum is randomised.
          double[] own = new double[m];
          for (int i = 0; i < m; i++) {
            own[i] = uB[i] - 2 * yp[i];
          }
          Ciphertext[] residual = engine.encrypt(atF.encode(own));
          for (Ciphertext[] u : uK) {
            residual = engine.add(residual, u);
          }
          var wire = engine.toWire(residual, EncodingDescriptor.fixedPoint(f, m)).toProto();
          for (PartyId p : featureParties) {
            fed.send(p, LrMath.tag(e, b, "residual"), wire);
          }
          // Plain part of the loss: Σu_B² − 4·Σy'u_B + 8·m·ln 2, at scale 2^(2F).
          double plainLoss = 8 * m * Math.log(2);
          for (int i = 0; i < m; i++) {
            plainLoss += uB[i] * uB[i] - 4 * yp[i] * uB[i];
          }
          Ciphertext batchLoss = engine.encrypt(at2F.encode(plainLoss));
          if (lossEnc != null) {
            batchLoss = engine.add(batchLoss, lossEnc);
          }
          epochLoss = epochLoss == null ? batchLoss : engine.add(epochLoss, batchLoss);

          double[] grad =
              GradientExchange.maskedGradient(
                  fed,
                  coordinator,
                  engine,
                  residual,
                  LrMath.fixedColumns(table, rows, config.featureScaleBits(), true),
                  e,
                  b,
                  config,
                  random);
          double lr = config.learningRate(e);
          for (int j = 0; j <= d; j++) {
            double penalty = j < d ? config.l2() * w[j] : 0;
            w[j] -= lr * (grad[j] + penalty);
          }
        }
        Ciphertext sendLoss = engine.rerandomize(epochLoss);
        fed.send(
            coordinator,
            "lr/" + e + "/loss",
            engine
                .toWire(new Ciphertext[] {sendLoss}, EncodingDescriptor.fixedPoint(2 * f, 1))
                .toProto());
        EpochDecision decision =
            fed.receive(coordinator, "lr/" + e + "/decision", EpochDecision.class);
        losses[e] = decision.getMeanLoss();
        epochsRun = e + 1;
        if (decision.getStop()) {
          break;
        }
      }
    }
    return new Result(
        table.featureNames(),
        java.util.Arrays.copyOf(w, d),
        w[d],
        java.util.Arrays.copyOf(losses, epochsRun));
  }
}
