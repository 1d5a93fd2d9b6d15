package org.fedcredit.bench.lr;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.lr.VerticalLogisticRegression;
import org.fedcredit.modelzoo.lr.VerticalLrConfig;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.EngineTimings;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Vertical logistic regression training ({@link VerticalLogisticRegression#simulate}) between a
 * bank (labels and {@code labelFeatures} columns), one data provider ({@code featurePartyFeatures}
 * columns) and a coordinator, all in this JVM over an {@link InMemoryFederation} (every message
 * serialised, no network), sharing the machine's cores. PSI is not part of it: the tables are
 * generated already aligned.
 *
 * <p>Data: standard-normal features from a fixed seed with a planted linear signal: {@code y ~
 * Bernoulli(σ(x·w))} with {@code w} drawn once, scaled so that {@code x·w} has standard deviation 2
 * (a learnable but noisy problem). Early stopping is off (tolerance 0): every epoch runs.
 *
 * <p>Where the time goes comes from {@link EngineTimings} (enabled for the run): wall seconds in
 * Paillier key generation, encryption, re-randomisation, {@code Xᵀ·[[d]]} multi-exponentiation,
 * decryption and ciphertext wire conversion; the rest ("other": plaintext arithmetic,
 * serialisation, message passing, cheap homomorphic additions, waiting) is the total minus those.
 */
public final class VerticalLrBenchmark {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId PROVIDER = PartyId.of("provider");
  static final PartyId COORDINATOR = PartyId.of("coordinator");

  /** Seconds between two progress lines on stderr while an epoch runs. */
  static final long PROGRESS_EVERY_MS = 30_000;

  /**
   * @param rows aligned rows
   * @param labelFeatures the bank's feature columns
   * @param featurePartyFeatures the provider's feature columns
   * @param epochs epochs (all run: early stopping is off)
   * @param batchSize rows per mini-batch; 0 for the whole training set (one batch per epoch)
   * @param keyBits Paillier modulus size
   * @param crypto Paillier or the insecure plaintext simulation
   * @param featureScaleBits fixed-point bits of the features in Xᵀ·[[d]] (the job default is 16)
   */
  public record Config(
      int rows,
      int labelFeatures,
      int featurePartyFeatures,
      int epochs,
      int batchSize,
      int keyBits,
      CryptoMode crypto,
      int featureScaleBits) {
    public Config {
      check(
          featureScaleBits >= 4 && featureScaleBits <= 30,
          "--feature-scale-bits " + featureScaleBits + ": use 4..30");
      check(rows >= 2, "--rows " + rows + ": use at least 2");
      check(labelFeatures >= 1, "--label-features " + labelFeatures + ": use at least 1");
      check(
          featurePartyFeatures >= 1,
          "--feature-party-features " + featurePartyFeatures + ": use at least 1");
      check(epochs >= 1, "--epochs " + epochs + ": use at least 1");
      check(batchSize >= 0, "--batch-size " + batchSize + ": use at least 1 (or 0 for all rows)");
      check(
          (long) rows * (labelFeatures + featurePartyFeatures) <= Integer.MAX_VALUE,
          "--rows × features is too large to generate in memory");
      java.util.Objects.requireNonNull(crypto, "crypto");
    }

    /** The rows per batch actually used. */
    public int effectiveBatchSize() {
      return batchSize == 0 ? rows : Math.min(batchSize, rows);
    }

    public int batchesPerEpoch() {
      return (rows + effectiveBatchSize() - 1) / effectiveBatchSize();
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  private VerticalLrBenchmark() {}

  public static VerticalLrBenchReport run(Config config, Consumer<String> progress) {
    progress.accept(
        String.format(
            "generating %,d rows: bank %d features + labels, provider %d features",
            config.rows(), config.labelFeatures(), config.featurePartyFeatures()));
    LocalTable[] tables = generate(config);
    LocalTable bank = tables[0];
    LocalTable provider = tables[1];
    VerticalLrConfig lr =
        VerticalLrConfig.defaults()
            .withEpochs(config.epochs())
            .withBatchSize(config.effectiveBatchSize())
            .withTolerance(0)
            .withKeyBits(config.keyBits())
            .withFeatureScaleBits(config.featureScaleBits())
            .withCrypto(config.crypto());
    PaillierEngine.Options options = PaillierEngine.Options.defaults();
    InMemoryFederation fed =
        new InMemoryFederation(
            VerticalLogisticRegression.parties(BANK, java.util.Set.of(PROVIDER), COORDINATOR),
            java.time.Duration.ofHours(6));
    System.gc();
    progress.accept(
        String.format(
            "training: %d epoch(s) of %d batch(es) of %,d rows, %s, %d-bit key, features at 2^-%d,"
                + " %d engine threads per party",
            config.epochs(),
            config.batchesPerEpoch(),
            config.effectiveBatchSize(),
            config.crypto() == CryptoMode.PAILLIER ? "Paillier" : "PLAINTEXT (insecure)",
            config.keyBits(),
            config.featureScaleBits(),
            options.threads()));

    List<Double> epochEnds = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    EngineTimings.reset();
    EngineTimings.enable();
    long t0 = System.nanoTime();
    Thread ticker = ticker(t0, progress);
    VerticalLogisticRegression.Model model;
    EngineTimings.Snapshot split;
    double seconds;
    try {
      model =
          VerticalLogisticRegression.simulate(
              BANK,
              bank,
              Map.of(PROVIDER, provider),
              COORDINATOR,
              lr,
              options,
              fed,
              (epoch, loss, stop) -> {
                double at = (System.nanoTime() - t0) / 1e9;
                double previous = epochEnds.isEmpty() ? 0 : epochEnds.get(epochEnds.size() - 1);
                epochEnds.add(at);
                losses.add(loss);
                progress.accept(
                    String.format(
                        "epoch %d/%d: mean Taylor loss %.5f, %.1f s (%.1f s elapsed)",
                        epoch + 1, config.epochs(), loss, at - previous, at));
              });
      seconds = (System.nanoTime() - t0) / 1e9;
      split = EngineTimings.snapshot();
    } finally {
      EngineTimings.disable();
      ticker.interrupt();
    }
    double[] perEpoch = new double[epochEnds.size()];
    for (int i = 0; i < perEpoch.length; i++) {
      perEpoch[i] = epochEnds.get(i) - (i == 0 ? 0 : epochEnds.get(i - 1));
    }
    double auc = auc(model, bank, Map.of(PROVIDER, provider));
    progress.accept(String.format("done in %.1f s; training AUC %.4f", seconds, auc));
    return new VerticalLrBenchReport(
        config,
        seconds,
        perEpoch,
        losses.stream().mapToDouble(Double::doubleValue).toArray(),
        auc,
        split,
        fed.bytesByPair(),
        model.coordinator().crypto(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** {bank table (with labels), provider table}, aligned, from a fixed seed. */
  static LocalTable[] generate(Config c) {
    Random r = new Random(20_251_126L);
    int n = c.rows();
    int d = c.labelFeatures() + c.featurePartyFeatures();
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = r.nextGaussian() * 2 / Math.sqrt(d); // Var(x·w) ≈ 4
    }
    double[] logit = new double[n];
    double[][] bankCols = new double[c.labelFeatures()][];
    double[][] providerCols = new double[c.featurePartyFeatures()][];
    for (int j = 0; j < d; j++) {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = r.nextGaussian();
        logit[i] += w[j] * col[i];
      }
      if (j < c.labelFeatures()) {
        bankCols[j] = col;
      } else {
        providerCols[j - c.labelFeatures()] = col;
      }
    }
    int[] labels = new int[n];
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit[i])) ? 1 : 0;
      ids.add("e" + i);
    }
    return new LocalTable[] {
      new LocalTable("synthetic-bank", ids, names("b", bankCols.length), bankCols, labels),
      new LocalTable("synthetic-provider", ids, names("p", providerCols.length), providerCols, null)
    };
  }

  private static List<String> names(String prefix, int count) {
    List<String> out = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      out.add(prefix + j);
    }
    return out;
  }

  /** Training-set AUC of the model (a sanity check that it learned the planted signal). */
  static double auc(
      VerticalLogisticRegression.Model model, LocalTable bank, Map<PartyId, LocalTable> providers) {
    double[] p = new double[bank.rows()];
    for (int i = 0; i < p.length; i++) {
      p[i] = model.probability(bank, providers, i);
    }
    return BinaryClassificationMetrics.evaluate(bank.labels().orElseThrow(), p).auc();
  }

  /** Prints the running totals of {@link EngineTimings} every {@link #PROGRESS_EVERY_MS}. */
  private static Thread ticker(long t0, Consumer<String> progress) {
    Thread t =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(PROGRESS_EVERY_MS);
                } catch (InterruptedException e) {
                  return;
                }
                EngineTimings.Snapshot s = EngineTimings.snapshot();
                StringBuilder b =
                    new StringBuilder(
                        String.format("  %.0f s elapsed; so far:", (System.nanoTime() - t0) / 1e9));
                s.stats()
                    .forEach(
                        (op, st) -> {
                          if (st.calls() > 0) {
                            b.append(
                                String.format(
                                    " %s %.1f s/%,d",
                                    op.name().toLowerCase(), st.wallSeconds(), st.elements()));
                          }
                        });
                progress.accept(b.toString());
              }
            },
            "bench-vlr-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
