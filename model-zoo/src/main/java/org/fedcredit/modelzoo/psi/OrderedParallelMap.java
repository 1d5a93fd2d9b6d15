package org.fedcredit.modelzoo.psi;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Maps a stream of batches on a few worker threads and hands the results back in order, on the
 * calling thread: inputs are produced (e.g. received) and outputs consumed (e.g. sent) by the role
 * thread, only the pure function runs in parallel. At most {@code 2 × threads} batches are in
 * flight, so memory stays bounded whatever the stream length.
 */
final class OrderedParallelMap implements AutoCloseable {

  /** Consumes the result of batch {@code index}. */
  @FunctionalInterface
  interface Sink<O> {
    void accept(int index, O result);
  }

  private final ExecutorService pool;
  private final int window;

  OrderedParallelMap(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.window = 2 * threads;
  }

  <I, O> void run(int batches, IntFunction<I> source, Function<I, O> fn, Sink<O> sink) {
    ArrayDeque<Future<O>> inFlight = new ArrayDeque<>();
    int next = 0;
    try {
      for (int done = 0; done < batches; done++) {
        while (next < batches && inFlight.size() < window) {
          I in = source.apply(next++);
          inFlight.add(pool.submit(() -> fn.apply(in)));
        }
        sink.accept(done, inFlight.removeFirst().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PsiException("interrupted while blinding ids");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
