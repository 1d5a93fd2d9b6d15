package org.fedcredit.bench.paillier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * A fixed pool of {@code threads} workers that maps an index range in {@code threads} contiguous
 * chunks: how the benchmark runs javallier (which has no batch API) and any FedCredit operation
 * without a batch API on more than one thread. With one thread, work runs on the caller.
 */
final class Workers implements AutoCloseable {

  private final int threads;
  private final ExecutorService pool;

  Workers(int threads) {
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads,
                r -> {
                  Thread t = new Thread(r, "bench-worker");
                  t.setDaemon(true);
                  return t;
                });
  }

  int threads() {
    return threads;
  }

  /** {@code out[i] = f(i)} for {@code i ∈ [0, count)}. */
  <T> T[] map(int count, IntFunction<T> f, IntFunction<T[]> array) {
    T[] out = array.apply(count);
    if (pool == null || count < 2) {
      for (int i = 0; i < count; i++) {
        out[i] = f.apply(i);
      }
      return out;
    }
    List<Future<?>> chunks = new ArrayList<>(threads);
    for (int k = 0; k < threads; k++) {
      int from = (int) ((long) count * k / threads);
      int to = (int) ((long) count * (k + 1) / threads);
      chunks.add(
          pool.submit(
              () -> {
                for (int i = from; i < to; i++) {
                  out[i] = f.apply(i);
                }
              }));
    }
    for (Future<?> chunk : chunks) {
      try {
        chunk.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("benchmark interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
