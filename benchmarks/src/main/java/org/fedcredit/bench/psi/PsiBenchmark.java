package org.fedcredit.bench.psi;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiConfig;
import org.fedcredit.modelzoo.psi.PsiFeatureParty;
import org.fedcredit.modelzoo.psi.PsiInput;
import org.fedcredit.modelzoo.psi.PsiLabelParty;

/**
 * A whole ECDH PSI run between a bank and one feature party in one JVM, over an {@link
 * InMemoryFederation} (every message serialised, as on a network, but no network): both parties
 * compete for the same cores, as on a single test machine. Measures wall time from the start of
 * both roles to the end of both, bytes each way, and the peak of used heap sampled every 20 ms.
 * Checks the result (intersection size and the same ids in the same order at both parties) and
 * fails if it is wrong.
 */
public final class PsiBenchmark {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId PROVIDER = PartyId.of("provider");

  /**
   * @param ids ids per party
   * @param overlap fraction of each party's ids that the other also holds
   * @param threads worker threads per party (default: all processors)
   * @param batchSize ids per message
   */
  public record Config(int ids, double overlap, int threads, int batchSize) {
    public Config {
      if (ids < 1) {
        throw new IllegalArgumentException("--ids " + ids + ": use at least 1");
      }
      if (!(overlap > 0 && overlap <= 1)) {
        throw new IllegalArgumentException(
            "--overlap "
                + overlap
                + ": use a fraction in (0, 1]; 0 would be an empty intersection");
      }
    }

    public static Config of(int ids, double overlap) {
      return new Config(
          ids, overlap, Runtime.getRuntime().availableProcessors(), PsiConfig.DEFAULT_BATCH_SIZE);
    }
  }

  private PsiBenchmark() {}

  public static PsiBenchReport run(Config config, Consumer<String> progress) {
    int n = config.ids();
    int common = (int) Math.round(n * config.overlap());
    progress.accept("generating " + n + " ids per party, " + common + " in common");
    Random r = new Random(20_251_126L);
    List<String> bankIds = new ArrayList<>(n);
    List<String> providerIds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bankIds.add(id(i));
      providerIds.add(id(n - common + i));
    }
    Collections.shuffle(bankIds, r);
    Collections.shuffle(providerIds, r);
    PsiInput bankInput = PsiInput.of(bankIds);
    PsiInput providerInput = PsiInput.of(providerIds);

    InMemoryFederation fed = new InMemoryFederation(Set.of(BANK, PROVIDER));
    PsiConfig psi =
        PsiConfig.of("bench-psi").withThreads(config.threads()).withBatchSize(config.batchSize());
    System.gc();
    HeapSampler heap = new HeapSampler();
    progress.accept("running PSI, " + config.threads() + " worker threads per party");
    long t0 = System.nanoTime();
    CompletableFuture<Alignment> bank =
        start(
            fed,
            BANK,
            () -> new PsiLabelParty(fed.endpoint(BANK), List.of(PROVIDER), psi).run(bankInput));
    CompletableFuture<Alignment> provider =
        start(
            fed,
            PROVIDER,
            () -> new PsiFeatureParty(fed.endpoint(PROVIDER), BANK, psi).run(providerInput));
    Alignment a = join(bank);
    Alignment b = join(provider);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = heap.stop();

    if (a.size() != common || !a.ids(bankIds).equals(b.ids(providerIds))) {
      throw new IllegalStateException(
          "PSI result is wrong: " + a.size() + " aligned, expected " + common);
    }
    progress.accept("checked: " + common + " aligned ids, the same order at both parties");
    return new PsiBenchReport(
        config,
        common,
        seconds,
        fed.bytesByPair().getOrDefault(BANK + "->" + PROVIDER, 0L),
        fed.bytesByPair().getOrDefault(PROVIDER + "->" + BANK, 0L),
        peak,
        Runtime.getRuntime().maxMemory(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        loadAverage());
  }

  static String id(int i) {
    return String.format("91310000%010d", i);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static CompletableFuture<Alignment> start(
      InMemoryFederation fed, PartyId party, Supplier<Alignment> role) {
    CompletableFuture<Alignment> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(role.get());
              } catch (Throwable e) {
                fed.fail(party, e);
                f.completeExceptionally(e);
              }
            },
            "bench-" + party);
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static Alignment join(CompletableFuture<Alignment> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
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
              "bench-heap-sampler");
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
