package org.fedcredit.modelzoo.lr;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.lr.v1.EpochDecision;
import org.fedcredit.protocols.lr.v1.PlainIntegers;
import org.fedcredit.secagg.paillier.EffectiveParameters;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * The coordinator of vertical LR: makes a fresh Paillier key for the job, decrypts each party's
 * <em>masked</em> gradient and returns it to that party only, decrypts the epoch's total loss and
 * decides when to stop. It never sees a gradient, a weight or a per-sample value in the clear.
 */
public final class CoordinatorRole {

  private final Federation fed;
  private final PartyId labelParty;
  private final List<PartyId> featureParties;
  private final int rows;
  private final VerticalLrConfig config;
  private final PaillierEngine.Options engineOptions;
  private EffectiveParameters effective;
  private EpochListener listener = (epoch, loss, stop) -> {};

  /** Told after every epoch: for progress output. */
  @FunctionalInterface
  public interface EpochListener {
    void onEpoch(int epoch, double meanLoss, boolean stop);
  }

  /** Sets the listener told after every epoch. */
  public CoordinatorRole onEpoch(EpochListener l) {
    this.listener = java.util.Objects.requireNonNull(l);
    return this;
  }

  public CoordinatorRole(
      Federation fed,
      PartyId labelParty,
      List<PartyId> featureParties,
      int rows,
      VerticalLrConfig config,
      PaillierEngine.Options engineOptions) {
    this.fed = fed;
    this.labelParty = labelParty;
    this.featureParties = List.copyOf(featureParties);
    this.rows = rows;
    this.config = config;
    this.engineOptions = engineOptions;
  }

  /** What the coordinator learned: the loss of each epoch. */
  public record Result(
      double[] epochLosses, int epochsRun, String stopReason, EffectiveParameters crypto) {}

  public Result run() {
    PaillierKeyPair key =
        PaillierKeyPair.generate(config.keyBits(), KeySizePolicy.DEFAULT, new SecureRandom());
    var pk = PaillierKeyCodec.toProto(key.publicKey());
    fed.send(labelParty, "lr/key", pk);
    for (PartyId p : featureParties) {
      fed.send(p, "lr/key", pk);
    }
    double scaleLoss = 8 * Math.scalb(1.0, 2 * config.valueScaleBits()) * rows;
    double[] losses = new double[config.epochs()];
    String reason = "reached " + config.epochs() + " epochs";
    int epochsRun = 0;
    try (HomomorphicEngine engine = config.crypto().ownerEngine(key.privateKey(), engineOptions)) {
      double previous = Double.NaN;
      for (int e = 0; e < config.epochs(); e++) {
        int batches = (rows + config.batchSize() - 1) / config.batchSize();
        for (int b = 0; b < batches; b++) {
          decryptMasked(engine, key, e, b, labelParty);
          for (PartyId p : featureParties) {
            decryptMasked(engine, key, e, b, p);
          }
        }
        EncryptedVector loss =
            LrMath.receiveVector(fed, labelParty, "lr/" + e + "/loss", key.publicKey());
        BigInteger total =
            LrMath.signed(engine.decrypt(engine.fromWire(loss))[0], key.publicKey().n());
        double mean = total.doubleValue() / scaleLoss;
        losses[e] = mean;
        epochsRun = e + 1;
        boolean stop = false;
        if (e == config.epochs() - 1) {
          stop = true;
        } else if (config.tolerance() > 0
            && !Double.isNaN(previous)
            && Math.abs(previous - mean) < config.tolerance()) {
          stop = true;
          reason =
              String.format(
                  java.util.Locale.ROOT,
                  "loss improved by %.2e < tolerance %.2e after epoch %d",
                  previous - mean,
                  config.tolerance(),
                  e + 1);
        }
        EpochDecision d =
            EpochDecision.newBuilder()
                .setEpoch(e)
                .setMeanLoss(mean)
                .setStop(stop)
                .setReason(reason)
                .build();
        fed.send(labelParty, "lr/" + e + "/decision", d);
        for (PartyId p : featureParties) {
          fed.send(p, "lr/" + e + "/decision", d);
        }
        listener.onEpoch(e, mean, stop);
        previous = mean;
        if (stop) {
          break;
        }
      }
      effective = engine.effectiveParameters();
    }
    return new Result(java.util.Arrays.copyOf(losses, epochsRun), epochsRun, reason, effective);
  }

  private void decryptMasked(
      HomomorphicEngine engine, PaillierKeyPair key, int e, int b, PartyId p) {
    EncryptedVector masked =
        LrMath.receiveVector(fed, p, LrMath.tag(e, b, "gradient"), key.publicKey());
    BigInteger[] values = engine.decrypt(engine.fromWire(masked));
    PlainIntegers reply = LrMath.plain(values);
    fed.send(p, LrMath.tag(e, b, "gradient-masked-plain"), reply);
  }
}
