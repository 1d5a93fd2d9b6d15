package org.fedcredit.modelzoo.lr;

import org.fedcredit.secagg.paillier.CryptoMode;

/**
 * Hyper-parameters of vertical logistic regression, with FATE's coordinated-LR defaults where FATE
 * has them.
 *
 * @param epochs maximum passes over the aligned training rows (default 30)
 * @param batchSize rows per mini-batch (default 256); the last batch of an epoch may be smaller
 * @param learningRate step size (default 0.15)
 * @param decay learning-rate decay: step k of training uses {@code learningRate / (1 + decay·k)}
 *     with k counted in epochs (default 0: constant)
 * @param l2 L2 penalty λ on every party's weights (default 0)
 * @param tolerance early stopping: stop when the mean Taylor loss of an epoch improves by less than
 *     this (default 1e-4; 0 disables)
 * @param seed shuffling seed shared by all parties (default 42)
 * @param keyBits Paillier key size, fresh per job (default 2048)
 * @param featureScaleBits fixed-point scale of features in {@code Xᵀ·[[d]]} (default 16)
 * @param valueScaleBits fixed-point scale of partial scores and residuals (default 24)
 * @param maskBits size of the random masks added before the coordinator decrypts (default 128:
 *     statistically hides values below 2^64 to 2^-64)
 * @param crypto {@link CryptoMode#PAILLIER} (default) or {@link CryptoMode#PLAINTEXT_INSECURE} for
 *     a fast simulation that computes the same numbers without encryption
 */
public record VerticalLrConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double decay,
    double l2,
    double tolerance,
    long seed,
    int keyBits,
    int featureScaleBits,
    int valueScaleBits,
    int maskBits,
    CryptoMode crypto) {

  public VerticalLrConfig {
    java.util.Objects.requireNonNull(crypto, "crypto");
    require(epochs >= 1, "epochs must be at least 1, was " + epochs);
    require(batchSize >= 1, "batch_size must be at least 1, was " + batchSize);
    require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate must be > 0");
    require(decay >= 0, "decay must be >= 0");
    require(l2 >= 0, "l2 must be >= 0");
    require(tolerance >= 0, "tolerance must be >= 0");
    require(featureScaleBits >= 4 && featureScaleBits <= 30, "feature_scale_bits must be in 4..30");
    require(valueScaleBits >= 8 && valueScaleBits <= 40, "value_scale_bits must be in 8..40");
    require(maskBits >= 80 && maskBits <= 512, "mask_bits must be in 80..512");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The defaults listed above. */
  public static VerticalLrConfig defaults() {
    return new VerticalLrConfig(
        30, 256, 0.15, 0, 0, 1e-4, 42, 2048, 16, 24, 128, CryptoMode.PAILLIER);
  }

  public VerticalLrConfig withEpochs(int e) {
    return new VerticalLrConfig(
        e,
        batchSize,
        learningRate,
        decay,
        l2,
        tolerance,
        seed,
        keyBits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withBatchSize(int b) {
    return new VerticalLrConfig(
        epochs,
        b,
        learningRate,
        decay,
        l2,
        tolerance,
        seed,
        keyBits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withTolerance(double t) {
    return new VerticalLrConfig(
        epochs,
        batchSize,
        learningRate,
        decay,
        l2,
        t,
        seed,
        keyBits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withL2(double l) {
    return new VerticalLrConfig(
        epochs,
        batchSize,
        learningRate,
        decay,
        l,
        tolerance,
        seed,
        keyBits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withKeyBits(int bits) {
    return new VerticalLrConfig(
        epochs,
        batchSize,
        learningRate,
        decay,
        l2,
        tolerance,
        seed,
        bits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withFeatureScaleBits(int bits) {
    return new VerticalLrConfig(
        epochs,
        batchSize,
        learningRate,
        decay,
        l2,
        tolerance,
        seed,
        keyBits,
        bits,
        valueScaleBits,
        maskBits,
        crypto);
  }

  public VerticalLrConfig withCrypto(CryptoMode c) {
    return new VerticalLrConfig(
        epochs,
        batchSize,
        learningRate,
        decay,
        l2,
        tolerance,
        seed,
        keyBits,
        featureScaleBits,
        valueScaleBits,
        maskBits,
        c);
  }

  /** The learning rate of epoch {@code e} (0-based). */
  public double learningRate(int e) {
    return learningRate / (1 + decay * e);
  }
}
