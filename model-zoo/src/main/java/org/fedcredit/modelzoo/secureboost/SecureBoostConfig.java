package org.fedcredit.modelzoo.secureboost;

import org.fedcredit.secagg.paillier.CryptoMode;

/**
 * Hyper-parameters of SecureBoost (binary logistic objective, second-order XGBoost-style trees).
 * {@link #defaults()}:
 *
 * <ul>
 *   <li>{@code trees} 50, {@code maxDepth} 3 (a root at depth 0; nodes at depth 3 are leaves),
 *       {@code learningRate} 0.3 (shrinks every leaf weight), {@code lambda} 1.0 (L2 on leaf
 *       weights);
 *   <li>{@code minChildWeight} 1.0 (minimum hessian sum of each child), {@code minSamplesLeaf} 20
 *       (minimum number of sampled rows in each child); a node splits only when its best gain is
 *       strictly positive;
 *   <li>{@code maxBins} 32 (for {@link TreeBinning}), {@code seed} 42 (GOSS sampling), {@code
 *       keyBits} 2048 (a fresh Paillier key per job), {@code crypto} PAILLIER;
 *   <li>{@code scaleBits} 32: g and h (after sample weights and GOSS factors) are rounded to
 *       multiples of 2^-32 before anything is summed, by the federation and the reference alike, so
 *       that every sum is an exact integer and both choose the same splits;
 *   <li>GOSS off; when on, {@code gossTopRate} a = 0.2 and {@code gossOtherRate} b = 0.1: per tree
 *       keep the ⌊a·n⌉ rows with the largest |g|, sample ⌊b·n⌉ of the rest with {@code seed +
 *       tree}, and multiply their g and h by (1 − a)/b (Ke et al., LightGBM, 2017).
 * </ul>
 *
 * The base margin is 0 (probability ½). Per-row sample weights are data, given to the bank's role.
 */
public record SecureBoostConfig(
    int trees,
    int maxDepth,
    double learningRate,
    double lambda,
    double minChildWeight,
    int minSamplesLeaf,
    int maxBins,
    long seed,
    int keyBits,
    CryptoMode crypto,
    int scaleBits,
    boolean goss,
    double gossTopRate,
    double gossOtherRate) {

  public SecureBoostConfig {
    require(trees >= 1, "trees must be at least 1, was " + trees);
    require(maxDepth >= 1 && maxDepth <= 16, "maxDepth must be 1..16, was " + maxDepth);
    require(learningRate > 0, "learningRate must be positive, was " + learningRate);
    require(lambda >= 0, "lambda must be non-negative, was " + lambda);
    require(minChildWeight >= 0, "minChildWeight must be non-negative, was " + minChildWeight);
    require(minSamplesLeaf >= 1, "minSamplesLeaf must be at least 1, was " + minSamplesLeaf);
    require(maxBins >= 2, "maxBins must be at least 2, was " + maxBins);
    require(keyBits >= 2048, "keyBits must be at least 2048, was " + keyBits);
    require(crypto != null, "crypto must be given (PAILLIER between real parties)");
    require(scaleBits >= 8 && scaleBits <= 40, "scaleBits must be 8..40, was " + scaleBits);
    require(
        gossTopRate > 0 && gossOtherRate > 0 && gossTopRate + gossOtherRate <= 1,
        "GOSS rates need a > 0, b > 0, a + b <= 1; were a=" + gossTopRate + " b=" + gossOtherRate);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The documented defaults (see the class comment). */
  public static SecureBoostConfig defaults() {
    return new SecureBoostConfig(
        50,
        3,
        0.3,
        1.0,
        1.0,
        20,
        TreeBinning.DEFAULT_MAX_BINS,
        42L,
        2048,
        CryptoMode.PAILLIER,
        32,
        false,
        0.2,
        0.1);
  }

  public SecureBoostConfig withTrees(int t) {
    return new SecureBoostConfig(
        t,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        maxBins,
        seed,
        keyBits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  public SecureBoostConfig withMaxDepth(int d) {
    return new SecureBoostConfig(
        trees,
        d,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        maxBins,
        seed,
        keyBits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  public SecureBoostConfig withMinSamplesLeaf(int m) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        m,
        maxBins,
        seed,
        keyBits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  public SecureBoostConfig withMinChildWeight(double w) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        w,
        minSamplesLeaf,
        maxBins,
        seed,
        keyBits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  public SecureBoostConfig withMaxBins(int b) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        b,
        seed,
        keyBits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  public SecureBoostConfig withCrypto(CryptoMode c) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        maxBins,
        seed,
        keyBits,
        c,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  /** A Paillier modulus of {@code bits} bits (at least 2048) for the job's fresh key. */
  public SecureBoostConfig withKeyBits(int bits) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        maxBins,
        seed,
        bits,
        crypto,
        scaleBits,
        goss,
        gossTopRate,
        gossOtherRate);
  }

  /** GOSS on with top rate {@code a} and other rate {@code b}. */
  public SecureBoostConfig withGoss(double a, double b) {
    return new SecureBoostConfig(
        trees,
        maxDepth,
        learningRate,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        maxBins,
        seed,
        keyBits,
        crypto,
        scaleBits,
        true,
        a,
        b);
  }
}
