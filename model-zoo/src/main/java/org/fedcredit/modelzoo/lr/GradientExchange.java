package org.fedcredit.modelzoo.lr;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.lr.v1.PlainIntegers;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.EncodingDescriptor;
import org.fedcredit.secagg.paillier.HomomorphicEngine;

/**
 * The step every party runs for its own gradient: {@code [[G]] = Xᵀ·[[D]]} by multi-exponentiation,
 * {@code [[G + R]]} with a fresh mask R, re-randomised, decrypted by the coordinator, and {@code G
 * = (G + R) − R} back at the party. {@code D = 4·d} is at scale {@code 2^F}, X at {@code 2^Fx}, so
 * the gradient is {@code G / (4·m·2^(F+Fx))}.
 */
final class GradientExchange {

  private GradientExchange() {}

  static double[] maskedGradient(
      Federation fed,
      PartyId coordinator,
      HomomorphicEngine engine,
      Ciphertext[] residual,
      long[][] columns,
      int epoch,
      int batch,
      VerticalLrConfig config,
      SecureRandom random) {
    BigInteger n = engine.publicKey().n();
    Ciphertext[] g = engine.multiplyMatrix(residual, columns);
    BigInteger[] masks = LrMath.masks(g.length, config.maskBits(), random);
    Ciphertext[] masked = new Ciphertext[g.length];
    for (int j = 0; j < g.length; j++) {
      masked[j] = engine.addPlaintext(g[j], masks[j]);
    }
    masked = engine.rerandomize(masked);
    fed.send(
        coordinator,
        LrMath.tag(epoch, batch, "gradient"),
        engine.toWire(masked, EncodingDescriptor.fixedPoint(0, masked.length)).toProto());
    PlainIntegers back =
        fed.receive(
            coordinator, LrMath.tag(epoch, batch, "gradient-masked-plain"), PlainIntegers.class);
    BigInteger[] values = LrMath.plain(back);
    if (values.length != g.length) {
      throw new IllegalStateException(
          "coordinator returned " + values.length + " gradient values, expected " + g.length);
    }
    double scale =
        4.0
            * residual.length
            * Math.scalb(1.0, config.valueScaleBits() + config.featureScaleBits());
    double[] out = new double[g.length];
    for (int j = 0; j < g.length; j++) {
      BigInteger gj = LrMath.signed(values[j].subtract(masks[j]).mod(n), n);
      out[j] = gj.doubleValue() / scale;
    }
    return out;
  }
}
