package org.fedcredit.coordinator.translog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;

/**
 * Append rate of the transparency log on the embedded H2 store, in a fresh temp work dir (not a
 * unit test; docs/benchmarks.md gives the command). Arguments: {@code <entries> <batch size>...};
 * default {@code 20000 1 100 1000}. Each entry is a ~200-byte JSON record; for every batch size the
 * log first appends 2,000 entries as warm-up, then {@code entries} measured, and the final root is
 * checked against an in-memory tree so that a fast but wrong log cannot pass.
 */
public final class TransparencyLogBenchmark {
  private TransparencyLogBenchmark() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    List<Integer> batches = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      batches.add(Integer.parseInt(args[i]));
    }
    if (batches.isEmpty()) {
      batches.addAll(List.of(1, 100, 1000));
    }
    for (int batch : batches) {
      Path dir = Files.createTempDirectory("translog-bench");
      try (CoordinatorStore store = CoordinatorStore.open(StoreConfig.embedded(dir))) {
        TransparencyLog log = TransparencyLog.in(store);
        InMemoryTree check = new InMemoryTree();
        run(log, check, 0, 2_000, batch);
        long t0 = System.nanoTime();
        run(log, check, 2_000, entries, batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!java.util.Arrays.equals(log.root(log.size()), check.root())) {
          throw new IllegalStateException("the stored root differs from the in-memory tree");
        }
        System.out.printf(
            "batch %5d: %,d entries in %.2f s = %,.0f entries/s (log size %,d, root verified)%n",
            batch, entries, seconds, entries / seconds, log.size());
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void run(TransparencyLog log, InMemoryTree check, int from, int n, int batch) {
    List<byte[]> pending = new ArrayList<>(batch);
    for (int i = from; i < from + n; i++) {
      byte[] e = entry(i);
      check.append(e);
      pending.add(e);
      if (pending.size() == batch) {
        log.appendAll(pending);
        pending = new ArrayList<>(batch);
      }
    }
    if (!pending.isEmpty()) {
      log.appendAll(pending);
    }
  }

  private static byte[] entry(int i) {
    return ("{\"v\":1,\"kind\":\"aggregation_round\",\"job\":\"job-2026-0001\",\"round\":"
            + i
            + ",\"scheme\":\"paillier\",\"key_bits\":3072,\"aggregate_sha256\":\""
            + "0123456789abcdef".repeat(4)
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
