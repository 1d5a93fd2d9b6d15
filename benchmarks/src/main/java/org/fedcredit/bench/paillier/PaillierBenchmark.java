package org.fedcredit.bench.paillier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.fedcredit.secagg.paillier.KeySizePolicy;

/**
 * FedCredit's Paillier engine against javallier 0.6.0, side by side in one JVM on one key (the
 * measurement behind {@code fedcredit bench paillier}, issue 2).
 *
 * <p>Method: one key of {@link Config#keyBits()} bits is generated once and used by both. For each
 * {@link Op} and each thread count, the two implementations run their batch in <em>alternating</em>
 * rounds (FedCredit first in even rounds, javallier first in odd ones) so that machine noise hits
 * both alike; {@link Config#warmupRounds()} rounds are run and discarded first, then the median of
 * {@link Config#rounds()} rounds is reported. After every round, a sample of each implementation's
 * outputs is decrypted by the <em>other</em> implementation and compared with the plaintext
 * arithmetic; a mismatch throws {@link BenchmarkFailedException}.
 *
 * <p>Threads: FedCredit runs {@code PaillierEngine.Options.withThreads(t)} and its batch APIs
 * ({@code encrypt(BigInteger[])}, {@code decrypt(Ciphertext[])}, {@code add(Ciphertext[],
 * Ciphertext[])}, {@code multiplyMatrix}); javallier, which has no batch API, runs on a {@code
 * t}-thread executor over the same batch (so does FedCredit's {@code multiply}, which has no batch
 * form).
 *
 * <p>Batch sizes differ between the two (javallier is much slower at some ops) but every result is
 * normalised to operations per second or microseconds per term. The defaults ({@link
 * Sizes#defaults()}) finish in about two minutes on two cores.
 */
public final class PaillierBenchmark {

  private PaillierBenchmark() {}

  /**
   * Batch size of one op per implementation.
   *
   * @param fedcredit operations (rows, for the matrix products) per FedCredit round
   * @param javallier operations (rows) per javallier round
   */
  public record Batch(int fedcredit, int javallier) {
    public Batch {
      if (fedcredit < 1 || javallier < 1) {
        throw new IllegalArgumentException(
            "batch sizes must be at least 1, were " + fedcredit + "/" + javallier);
      }
    }

    int of(Implementation impl) {
      return impl == Implementation.FEDCREDIT ? fedcredit : javallier;
    }

    @Override
    public String toString() {
      return fedcredit + "/" + javallier;
    }
  }

  /**
   * Batch sizes.
   *
   * @param encrypt plaintexts per round for {@code encrypt} and {@code encrypt_owner}
   * @param decrypt ciphertexts per round
   * @param add additions per round
   * @param mul16 scalar products per round
   * @param multiexpRows rows N of the matrix products
   * @param multiexpColumns columns d of the matrix products (both implementations)
   * @param pool distinct input ciphertexts, encrypted once and reused across batches
   */
  public record Sizes(
      Batch encrypt,
      Batch decrypt,
      Batch add,
      Batch mul16,
      Batch multiexpRows,
      int multiexpColumns,
      int pool) {

    /** The names {@link #with} accepts. */
    public static final List<String> KEYS =
        List.of("encrypt", "decrypt", "add", "mul16", "multiexp-rows");

    public Sizes {
      Objects.requireNonNull(encrypt, "encrypt");
      Objects.requireNonNull(decrypt, "decrypt");
      Objects.requireNonNull(add, "add");
      Objects.requireNonNull(mul16, "mul16");
      Objects.requireNonNull(multiexpRows, "multiexpRows");
      if (multiexpColumns < 1 || pool < 1) {
        throw new IllegalArgumentException(
            "multiexp columns and pool size must be at least 1, were "
                + multiexpColumns
                + " and "
                + pool);
      }
    }

    /**
     * encrypt 2,000/40, decrypt 200/100, add 50,000/20,000, mul16 2,000/2,000, matrix products N =
     * 4,000/16 rows × d = 4 columns (FedCredit/javallier), a pool of 1,024 input ciphertexts.
     * javallier gets fewer where one of its operations costs milliseconds (encryption and every
     * negative coefficient are 2048-bit exponentiations mod n²), so that a round of each side takes
     * about the same wall time; results are normalised per operation or term.
     */
    public static Sizes defaults() {
      return new Sizes(
          new Batch(2_000, 40),
          new Batch(200, 100),
          new Batch(50_000, 20_000),
          new Batch(2_000, 2_000),
          new Batch(4_000, 16),
          4,
          1_024);
    }

    /** A smoke run of a few seconds: numbers are not meaningful, the checks are. */
    public static Sizes quick() {
      return new Sizes(
          new Batch(40, 4),
          new Batch(8, 4),
          new Batch(400, 400),
          new Batch(40, 20),
          new Batch(128, 8),
          2,
          64);
    }

    /** These sizes with one batch replaced; {@code key} is one of {@link #KEYS}. */
    public Sizes with(String key, Batch batch) {
      switch (key) {
        case "encrypt":
          return new Sizes(batch, decrypt, add, mul16, multiexpRows, multiexpColumns, pool);
        case "decrypt":
          return new Sizes(encrypt, batch, add, mul16, multiexpRows, multiexpColumns, pool);
        case "add":
          return new Sizes(encrypt, decrypt, batch, mul16, multiexpRows, multiexpColumns, pool);
        case "mul16":
          return new Sizes(encrypt, decrypt, add, batch, multiexpRows, multiexpColumns, pool);
        case "multiexp-rows":
          return new Sizes(encrypt, decrypt, add, mul16, batch, multiexpColumns, pool);
        default:
          throw new IllegalArgumentException(
              "unknown batch '" + key + "'; use one of " + String.join(", ", KEYS));
      }
    }

    public Sizes withMultiexpColumns(int columns) {
      return new Sizes(encrypt, decrypt, add, mul16, multiexpRows, columns, pool);
    }

    Batch of(Op op) {
      switch (op) {
        case ENCRYPT:
        case ENCRYPT_OWNER:
          return encrypt;
        case DECRYPT:
          return decrypt;
        case ADD:
          return add;
        case MUL16:
          return mul16;
        case MULTIEXP16:
        case MULTIEXP53:
          return multiexpRows;
      }
      throw new AssertionError(op);
    }
  }

  /**
   * What to run.
   *
   * @param keyBits Paillier modulus size: 2048 (default) or 3072
   * @param warmupRounds rounds run first and discarded (default 2)
   * @param rounds measured rounds; the median is reported (default 5)
   * @param threads thread counts to measure (default 1 and 2)
   * @param sizes batch sizes
   */
  public record Config(
      int keyBits, int warmupRounds, int rounds, List<Integer> threads, Sizes sizes) {

    /** Key sizes the benchmark accepts. */
    public static final List<Integer> KEY_BITS = List.of(2048, 3072);

    public Config {
      Objects.requireNonNull(sizes, "sizes");
      KeySizePolicy.DEFAULT.check(keyBits);
      if (!KEY_BITS.contains(keyBits)) {
        throw new IllegalArgumentException(
            "key size " + keyBits + " is not benchmarked; use 2048 (the default) or 3072");
      }
      if (warmupRounds < 0) {
        throw new IllegalArgumentException("warm-up rounds must be 0 or more, was " + warmupRounds);
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("measured rounds must be at least 1, was " + rounds);
      }
      threads = List.copyOf(threads);
      if (threads.isEmpty()) {
        throw new IllegalArgumentException("give at least one thread count");
      }
      for (int t : threads) {
        if (t < 1 || t > 256) {
          throw new IllegalArgumentException("thread counts must be in 1..256, was " + t);
        }
      }
      if (threads.stream().distinct().count() != threads.size()) {
        throw new IllegalArgumentException("thread counts repeat: " + threads);
      }
    }

    /** n = 2048, 2 warm-up + 5 measured rounds, threads 1 and 2, {@link Sizes#defaults()}. */
    public static Config defaults() {
      return new Config(2048, 2, 5, List.of(1, 2), Sizes.defaults());
    }

    /** A smoke run: 1 warm-up + 1 measured round of {@link Sizes#quick()}. */
    public static Config quick() {
      return new Config(2048, 1, 1, List.of(1, 2), Sizes.quick());
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param progress receives one line per step (key generation, each op); not part of the result
   * @throws BenchmarkFailedException if any sampled output is wrong
   */
  public static PaillierBenchReport run(Config config, Consumer<String> progress) {
    List<Measurement> results = new ArrayList<>();
    String kernel;
    try (Fixture fixture = Fixture.create(config.keyBits(), config.sizes().pool(), progress);
        FedCreditContestant ours = new FedCreditContestant(fixture);
        JavallierContestant theirs = new JavallierContestant(fixture)) {
      kernel = ours.kernel();
      progress.accept(
          "FedCredit kernel: "
              + kernel
              + "; javallier modPow: "
              + JavallierContestant.modPowBackend());
      for (Op op : Op.values()) {
        Batch batch = config.sizes().of(op);
        int columns = config.sizes().multiexpColumns();
        Workload oursInput = fixture.workload(op, batch.fedcredit(), columns);
        Workload theirsInput = fixture.workload(op, batch.javallier(), columns);
        for (int threads : config.threads()) {
          Trial<?> a = ours.trial(op, threads, oursInput);
          Trial<?> b = theirs.trial(op, threads, theirsInput);
          long[][] times = interleave(a, b, config.warmupRounds(), config.rounds());
          Measurement mine = measurement(op, Implementation.FEDCREDIT, threads, a, times[0]);
          Measurement other = measurement(op, Implementation.JAVALLIER, threads, b, times[1]);
          results.add(mine);
          results.add(other);
          progress.accept(
              String.format(
                  Locale.ROOT,
                  "%-24s threads %d: fedcredit %s, javallier %s (batches %s, %d+%d rounds,"
                      + " checked)",
                  op.jsonName(),
                  threads,
                  PaillierBenchReport.formatValue(op, mine.value()),
                  PaillierBenchReport.formatValue(op, other.value()),
                  op.perTerm() ? batch + " rows × " + columns : batch.toString(),
                  config.warmupRounds(),
                  config.rounds()));
        }
      }
    }
    return new PaillierBenchReport(
        config,
        kernel,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        JavallierContestant.modPowBackend(),
        results);
  }

  /** Alternates the two trials; returns the measured (post-warm-up) nanoseconds of each. */
  private static long[][] interleave(Trial<?> a, Trial<?> b, int warmup, int rounds) {
    long[] ta = new long[rounds];
    long[] tb = new long[rounds];
    for (int r = 0; r < warmup + rounds; r++) {
      long ea;
      long eb;
      if (r % 2 == 0) {
        ea = a.run();
        a.verify();
        eb = b.run();
        b.verify();
      } else {
        eb = b.run();
        b.verify();
        ea = a.run();
        a.verify();
      }
      if (r >= warmup) {
        ta[r - warmup] = ea;
        tb[r - warmup] = eb;
      }
    }
    return new long[][] {ta, tb};
  }

  private static Measurement measurement(
      Op op, Implementation impl, int threads, Trial<?> trial, long[] nanos) {
    double median = median(nanos);
    double value = op.perTerm() ? median / 1e3 / trial.units() : trial.units() / (median / 1e9);
    Optional<String> note = trial.note();
    return new Measurement(op, impl, threads, value, note);
  }

  static double median(long[] xs) {
    long[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
  }
}
