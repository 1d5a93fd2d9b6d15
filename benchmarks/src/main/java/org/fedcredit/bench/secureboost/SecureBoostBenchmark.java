package org.fedcredit.bench.secureboost;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.modelzoo.secureboost.BinnedTable;
import org.fedcredit.modelzoo.secureboost.SecureBoost;
import org.fedcredit.modelzoo.secureboost.SecureBoostConfig;
import org.fedcredit.modelzoo.secureboost.TreeBinning;
import org.fedcredit.modelzoo.secureboost.TreeNode;
import org.fedcredit.protocols.secureboost.v1.NodeStep;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.EngineTimings;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Vertical SecureBoost training ({@link SecureBoost#simulate}) between a bank (labels and {@code
 * labelFeatures} columns) and one data provider ({@code featurePartyFeatures} columns), both in
 * this JVM over an {@link InMemoryFederation} (every message serialised, no network), sharing the
 * machine's cores. PSI is not part of it: the tables are generated already aligned. There is no
 * hold-out: the training-set AUC is reported as a sanity check only.
 *
 * <p>Data: the same synthetic problem as {@code bench vertical-lr} (same seed): standard-normal
 * features with a planted linear signal, {@code y ~ Bernoulli(σ(x·w))}, {@code x·w} of standard
 * deviation 2. Each party bins its own columns with {@link TreeBinning} to at most {@code bins}
 * quantile bins; binning is done before the clock starts. Tree hyper-parameters other than trees,
 * depth and bins are {@link SecureBoostConfig#defaults()} (learning rate 0.3, λ 1, min child weight
 * 1, min 20 rows per leaf, GOSS off).
 *
 * <p>Where the time goes comes from {@link EngineTimings} (enabled for the run): wall seconds in
 * Paillier key generation, encryption (the bank's packed gradients), re-randomisation (the
 * provider's packed candidate sums), decryption (at the bank) and ciphertext wire conversion; the
 * rest ("other") is the total minus those. In SecureBoost "other" is mostly the provider's
 * encrypted histograms: one ciphertext multiplication mod n² per (row, feature) of every histogram
 * built from rows, which {@link EngineTimings} does not time (too cheap to time one by one).
 */
public final class SecureBoostBenchmark {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId PROVIDER = PartyId.of("provider");

  /** How long a party waits for a message before the run fails (long runs are the point). */
  static final Duration TIMEOUT = Duration.ofHours(12);

  /** Milliseconds between two progress lines on stderr while a tree grows. */
  static final long PROGRESS_EVERY_MS = 30_000;

  /**
   * @param rows aligned rows
   * @param labelFeatures the bank's feature columns
   * @param featurePartyFeatures the provider's feature columns
   * @param trees trees to grow
   * @param depth maximum depth (the root is depth 0; nodes at this depth are leaves)
   * @param bins maximum bins per feature
   * @param keyBits Paillier modulus size
   * @param crypto Paillier or the insecure plaintext simulation
   */
  public record Config(
      int rows,
      int labelFeatures,
      int featurePartyFeatures,
      int trees,
      int depth,
      int bins,
      int keyBits,
      CryptoMode crypto) {
    public Config {
      check(rows >= 2, "--rows " + rows + ": use at least 2");
      check(labelFeatures >= 1, "--label-features " + labelFeatures + ": use at least 1");
      check(
          featurePartyFeatures >= 1,
          "--feature-party-features " + featurePartyFeatures + ": use at least 1");
      check(trees >= 1, "--trees " + trees + ": use at least 1");
      check(depth >= 1 && depth <= 16, "--depth " + depth + ": use 1..16");
      check(bins >= 2 && bins <= 1024, "--bins " + bins + ": use 2..1024");
      check(
          (long) rows * (labelFeatures + featurePartyFeatures) <= Integer.MAX_VALUE,
          "--rows × features is too large to generate in memory");
      Objects.requireNonNull(crypto, "crypto");
    }

    /** The SecureBoost configuration the run uses. */
    public SecureBoostConfig secureBoost() {
      return SecureBoostConfig.defaults()
          .withTrees(trees)
          .withMaxDepth(depth)
          .withMaxBins(bins)
          .withKeyBits(keyBits)
          .withCrypto(crypto);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  private SecureBoostBenchmark() {}

  public static SecureBoostBenchReport run(Config config, Consumer<String> progress) {
    SecureBoostConfig sb = config.secureBoost(); // fails before the slow part if out of range
    progress.accept(
        String.format(
            "generating %,d rows: bank %d features + labels, provider %d features; binning to %d"
                + " bins",
            config.rows(), config.labelFeatures(), config.featurePartyFeatures(), config.bins()));
    Data data = generate(config);
    InMemoryFederation fed =
        new InMemoryFederation(SecureBoost.parties(BANK, Set.of(PROVIDER)), TIMEOUT);
    List<Double> treeEnds = new CopyOnWriteArrayList<>();
    AtomicLong nodes = new AtomicLong();
    long[] t0 = new long[1];
    fed.observe(
        (from, to, tag, payload) -> {
          if (!from.equals(BANK) || !tag.matches("sb/\\d+/step/\\d+")) {
            return;
          }
          NodeStep step;
          try {
            step = NodeStep.parseFrom(payload);
          } catch (InvalidProtocolBufferException e) {
            return;
          }
          double at = (System.nanoTime() - t0[0]) / 1e9;
          if (step.getTreeDone()) {
            double previous = treeEnds.isEmpty() ? 0 : treeEnds.get(treeEnds.size() - 1);
            treeEnds.add(at);
            progress.accept(
                String.format(
                    "tree %d/%d done: %.1f s (%.1f s elapsed)",
                    step.getTree() + 1, config.trees(), at - previous, at));
          } else {
            nodes.incrementAndGet();
            progress.accept(
                String.format(
                    "tree %d/%d: node %d (depth %d) asked of the provider (%.1f s elapsed)",
                    step.getTree() + 1,
                    config.trees(),
                    step.getNode(),
                    depthOf(step.getNode()),
                    at));
          }
        });
    PaillierEngine.Options options = PaillierEngine.Options.defaults();
    System.gc();
    progress.accept(
        String.format(
            "training: %d tree(s) of depth %d, %s, %d-bit key, %d engine threads per party",
            config.trees(),
            config.depth(),
            config.crypto() == CryptoMode.PAILLIER ? "Paillier" : "PLAINTEXT (insecure)",
            config.keyBits(),
            options.threads()));

    HeapSampler heap = new HeapSampler();
    EngineTimings.reset();
    EngineTimings.enable();
    t0[0] = System.nanoTime();
    Thread ticker = ticker(t0[0], progress);
    SecureBoost.Model model;
    EngineTimings.Snapshot split;
    double seconds;
    long heapPeak;
    try {
      model =
          SecureBoost.simulate(
              BANK,
              data.bank(),
              data.labels(),
              ones(config.rows()),
              Map.of(PROVIDER, data.provider()),
              sb,
              options,
              fed);
      seconds = (System.nanoTime() - t0[0]) / 1e9;
      split = EngineTimings.snapshot();
    } finally {
      EngineTimings.disable();
      ticker.interrupt();
      heapPeak = heap.stop();
    }
    double[] perTree = new double[treeEnds.size()];
    for (int i = 0; i < perTree.length; i++) {
      perTree[i] = treeEnds.get(i) - (i == 0 ? 0 : treeEnds.get(i - 1));
    }
    int[] splits = new int[3]; // bank, provider, leaves
    model
        .bank()
        .trees()
        .forEach(
            t ->
                t.nodes()
                    .values()
                    .forEach(
                        n -> {
                          if (n instanceof TreeNode.Leaf) {
                            splits[2]++;
                          } else if (n instanceof TreeNode.HiddenSplit) {
                            splits[1]++;
                          } else {
                            splits[0]++;
                          }
                        }));
    var providerResult = model.providers().get(PROVIDER);
    double auc =
        BinaryClassificationMetrics.evaluate(data.labels(), model.bank().trainingMargins()).auc();
    progress.accept(String.format("done in %.1f s; training AUC %.4f", seconds, auc));
    return new SecureBoostBenchReport(
        config,
        seconds,
        perTree,
        nodes.get(),
        splits[0],
        splits[1],
        splits[2],
        providerResult.histogramsFromRows(),
        providerResult.histogramsBySubtraction(),
        auc,
        split,
        fed.bytesByPair(),
        heapPeak,
        Runtime.getRuntime().maxMemory(),
        options.threads(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  static int depthOf(int node) {
    return 31 - Integer.numberOfLeadingZeros(node + 1);
  }

  /** The bank's and the provider's binned tables, aligned, and the labels. */
  record Data(BinnedTable bank, BinnedTable provider, int[] labels) {}

  /**
   * The {@code bench vertical-lr} data (same seed, same draws), binned per party with {@link
   * TreeBinning} fitted on all rows.
   */
  static Data generate(Config c) {
    Random r = new Random(20_251_126L);
    int n = c.rows();
    int d = c.labelFeatures() + c.featurePartyFeatures();
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = r.nextGaussian() * 2 / Math.sqrt(d); // Var(x·w) ≈ 4
    }
    double[] logit = new double[n];
    double[][] bankRows = new double[n][c.labelFeatures()];
    double[][] providerRows = new double[n][c.featurePartyFeatures()];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < n; i++) {
        double x = r.nextGaussian();
        logit[i] += w[j] * x;
        if (j < c.labelFeatures()) {
          bankRows[i][j] = x;
        } else {
          providerRows[i][j - c.labelFeatures()] = x;
        }
      }
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit[i])) ? 1 : 0;
    }
    BinnedTable bank = bin(names("b", c.labelFeatures()), bankRows, c.bins());
    bankRows = null; // let the doubles go before the provider's are binned
    BinnedTable provider = bin(names("p", c.featurePartyFeatures()), providerRows, c.bins());
    return new Data(bank, provider, labels);
  }

  private static BinnedTable bin(List<String> names, double[][] rows, int bins) {
    return TreeBinning.fit(names, rows, bins).apply(rows);
  }

  private static List<String> names(String prefix, int count) {
    List<String> out = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      out.add(prefix + j);
    }
    return out;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    return w;
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
                Runtime rt = Runtime.getRuntime();
                StringBuilder b =
                    new StringBuilder(
                        String.format(
                            "  %.0f s elapsed, heap %,d MB; so far:",
                            (System.nanoTime() - t0) / 1e9,
                            (rt.totalMemory() - rt.freeMemory()) >> 20));
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
            "bench-sb-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Samples used heap every 20 ms on a daemon thread; {@link #stop} returns the maximum. */
  private static final class HeapSampler {
    private final AtomicLong max = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapSampler() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  sample();
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-sb-heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() {
      Runtime rt = Runtime.getRuntime();
      max.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
    }

    long stop() {
      running = false;
      thread.interrupt();
      sample();
      return max.get();
    }
  }
}
