package org.fedcredit.secagg.paillier;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where the time of a job goes, per Paillier operation kind: a process-wide, thread-safe accounting
 * hook for benchmarks ({@code fedcredit bench vertical-lr}), <b>off by default</b>.
 *
 * <p>Why a static registry: the protocol roles build their engines themselves (through {@link
 * CryptoMode#publicEngine} / {@link CryptoMode#ownerEngine}), so a decorator could not be slipped
 * in without changing protocol code. Instead {@link PaillierEngine} and {@link PaillierKeyPair}
 * report their top-level calls here. When disabled (the default) the cost is one read of a volatile
 * boolean per call; nothing is recorded. {@link PaillierEngine} reports its own calls (the {@link
 * PlaintextEngine}, an insecure simulation, does not); cheap homomorphic operations (add, scalar
 * multiply, plaintext add, negate, sum) are not timed one by one, so they fall into the caller's
 * "other", except where a protocol times a whole phase built from them through {@link #time}
 * ({@link Op#HISTOGRAM}, {@link Op#PACK}) with whichever engine it runs on.
 *
 * <p>Accounting. Each operation kind accumulates:
 *
 * <ul>
 *   <li>{@code wallSeconds}: wall-clock time during which at least one call of this kind was
 *       running, <em>shared</em> with any other kind running at the same instant (if encryption and
 *       a matrix product run concurrently on different threads for 2 s, each is charged 1 s). So
 *       the wall seconds of all kinds never sum to more than the elapsed time between {@link
 *       #reset()} and {@link #snapshot()}, and "elapsed − Σ wallSeconds" is time spent in nothing
 *       timed here.
 *   <li>{@code callSeconds}: the sum of every call's own duration, across threads (can exceed wall
 *       time when calls overlap);
 *   <li>{@code calls} and {@code elements}: ciphertexts encrypted, decrypted, re-randomised or
 *       converted, terms {@code rows × columns} of a matrix product, keys generated.
 * </ul>
 *
 * <p>Array operations are timed once as a whole, not per element. A process has one registry: do
 * not benchmark two jobs at once.
 */
public final class EngineTimings {

  /** What is timed. */
  public enum Op {
    /** {@link PaillierKeyPair#generate}. */
    KEYGEN,
    /** {@link PaillierEngine#encrypt} (scalar and array). */
    ENCRYPT,
    /** {@link PaillierEngine#rerandomize} (scalar and array). */
    RERANDOMIZE,
    /** {@link PaillierEngine#multiplyMatrix}: {@code Xᵀ·[[d]]} by multi-exponentiation. */
    MULTIPLY_MATRIX,
    /** {@link PaillierEngine#decrypt} (scalar and array). */
    DECRYPT,
    /** {@link PaillierEngine#toWire} and {@link PaillierEngine#fromWire}. */
    WIRE,
    /**
     * Encrypted histograms summed from rows by a protocol out of ciphertext additions
     * (SecureBoost's feature party); elements are {@code rows × features}.
     */
    HISTOGRAM,
    /**
     * Sums packed several to a ciphertext by a protocol out of additions and {@link
     * HomomorphicEngine#shiftLeft} (SecureBoost's candidate sums, before re-randomisation);
     * elements are the sums packed.
     */
    PACK
  }

  /** One operation kind's totals; see the class comment. */
  public record Stat(double wallSeconds, double callSeconds, long calls, long elements) {}

  /** Totals per kind since the last {@link #reset()}, and the elapsed wall time. */
  public record Snapshot(Map<Op, Stat> stats, double elapsedSeconds) {
    /** Σ wallSeconds over all kinds (never more than {@link #elapsedSeconds}). */
    public double timedSeconds() {
      return stats.values().stream().mapToDouble(Stat::wallSeconds).sum();
    }
  }

  /** Returned by {@link #start} when disabled. */
  static final long OFF = Long.MIN_VALUE;

  private static final Op[] OPS = Op.values();
  private static final Object LOCK = new Object();
  private static volatile boolean enabled;
  private static final java.util.concurrent.atomic.LongAdder[] TOTALS = totals();

  private static java.util.concurrent.atomic.LongAdder[] totals() {
    java.util.concurrent.atomic.LongAdder[] t =
        new java.util.concurrent.atomic.LongAdder[OPS.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = new java.util.concurrent.atomic.LongAdder();
    }
    return t;
  }

  /**
   * Elements processed by {@code op} in this process since it started (ciphertexts encrypted,
   * decrypted..., terms of matrix products, keys), counted whether or not timing is enabled: the
   * operations counters of a node's metrics endpoint.
   */
  public static long total(Op op) {
    return TOTALS[op.ordinal()].sum();
  }

  // Guarded by LOCK.
  private static final int[] active = new int[OPS.length];
  private static final double[] wallNanos = new double[OPS.length];
  private static final long[] callNanos = new long[OPS.length];
  private static final long[] calls = new long[OPS.length];
  private static final long[] elements = new long[OPS.length];
  private static long lastEvent = System.nanoTime();
  private static long resetAt = lastEvent;

  private EngineTimings() {}

  /** Starts recording (call {@link #reset()} first for a clean slate). */
  public static void enable() {
    enabled = true;
  }

  /** Stops recording; totals stay readable. */
  public static void disable() {
    enabled = false;
  }

  public static boolean isEnabled() {
    return enabled;
  }

  /** Zeroes every total and restarts the elapsed clock. */
  public static void reset() {
    synchronized (LOCK) {
      java.util.Arrays.fill(active, 0);
      java.util.Arrays.fill(wallNanos, 0);
      java.util.Arrays.fill(callNanos, 0);
      java.util.Arrays.fill(calls, 0);
      java.util.Arrays.fill(elements, 0);
      lastEvent = System.nanoTime();
      resetAt = lastEvent;
    }
  }

  /** The totals so far (calls still running are counted up to now). */
  public static Snapshot snapshot() {
    synchronized (LOCK) {
      long now = System.nanoTime();
      advance(now);
      Map<Op, Stat> out = new EnumMap<>(Op.class);
      for (Op op : OPS) {
        int i = op.ordinal();
        out.put(op, new Stat(wallNanos[i] / 1e9, callNanos[i] / 1e9, calls[i], elements[i]));
      }
      return new Snapshot(out, (now - resetAt) / 1e9);
    }
  }

  /** Runs {@code work}, recording its wall time as {@code count} elements of {@code op}. */
  public static <T> T time(Op op, long count, java.util.function.Supplier<T> work) {
    long t0 = start(op);
    try {
      return work.get();
    } finally {
      stop(op, t0, count);
    }
  }

  /** Marks the start of a call; {@link #OFF} (and nothing recorded) when disabled. */
  static long start(Op op) {
    if (!enabled) {
      return OFF;
    }
    synchronized (LOCK) {
      long now = System.nanoTime();
      advance(now);
      active[op.ordinal()]++;
      return now;
    }
  }

  /** Marks the end of a call begun with {@link #start}, on {@code count} elements. */
  static void stop(Op op, long started, long count) {
    TOTALS[op.ordinal()].add(count);
    if (started == OFF) {
      return;
    }
    synchronized (LOCK) {
      long now = System.nanoTime();
      advance(now);
      int i = op.ordinal();
      if (active[i] > 0) { // 0 if reset() ran during the call
        active[i]--;
        callNanos[i] += now - started;
        calls[i]++;
        elements[i] += count;
      }
    }
  }

  /** Shares the time since the last event equally among the kinds running. Holds LOCK. */
  private static void advance(long now) {
    long dt = now - lastEvent;
    lastEvent = now;
    int running = 0;
    for (int a : active) {
      running += a > 0 ? 1 : 0;
    }
    if (running == 0 || dt <= 0) {
      return;
    }
    double share = (double) dt / running;
    for (int i = 0; i < active.length; i++) {
      if (active[i] > 0) {
        wallNanos[i] += share;
      }
    }
  }
}
