package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.fedcredit.secagg.modmul.FixedBaseExponentiation;
import org.fedcredit.secagg.modmul.ModularArithmetic;
import org.fedcredit.secagg.modmul.ModularKernel;
import org.fedcredit.secagg.modmul.MultiExponentiation;

/**
 * Paillier encryption, decryption and homomorphic arithmetic for one key, at GMP-class speed.
 *
 * <p>Techniques (numbers in docs/benchmarks.md):
 *
 * <ul>
 *   <li>Damgård–Jurik–Nielsen short-exponent encryption {@code c = (1 + m·n)·h_s^x mod n²} with a
 *       fixed-base window table for {@code h_s} (27 products per encryption at n = 2048), built
 *       lazily on first use and shared by all threads; after {@link Options#largeTableAfter()}
 *       encryptions a 12-bit table (18 products) replaces it (see {@link #precompute()}).
 *   <li>The key owner encrypts with CRT: {@code h_s^x} mod {@code p²} and {@code q²}, recombined.
 *   <li>CRT decryption.
 *   <li>Ciphertexts stay in the kernel's form ({@link ModularKernel#MONTGOMERY} when available): an
 *       addition is one Montgomery product.
 *   <li>{@link #multiplyMatrix} computes {@code Xᵀ·[[d]]} by bucket multi-exponentiation; negative
 *       plaintexts cost one inversion per output, not per term.
 *   <li>Array operations use {@link Options#threads()} threads.
 * </ul>
 *
 * <p>Plaintexts are integers in {@code [0, n)}; signed fixed-point values are the encoder's job
 * ({@code org.fedcredit.secagg.encoding}). Every encryption and {@link #rerandomize} draws a fresh
 * exponent from a per-thread {@link SecureRandom}. Homomorphic results are <em>not</em>
 * re-randomised automatically: call {@link #rerandomize} before sending a derived ciphertext to a
 * party that must not link it to its inputs.
 *
 * <p>Top-level calls of encryption, re-randomisation, decryption, {@link #multiplyMatrix} and wire
 * conversion report to {@link EngineTimings} when a benchmark has enabled it (off by default: one
 * volatile read per call).
 *
 * <p>Thread-safe. {@link #close()} releases the worker threads.
 */
public final class PaillierEngine implements HomomorphicEngine {

  /**
   * Engine settings.
   *
   * @param threads worker threads for array operations (default: all cores)
   * @param kernel the modular-product kernel (default: {@link ModularKernel#selected()})
   * @param windowBits fixed-base window for {@code h_s} used from the first encryption (default 8:
   *     27 products per encryption at n = 2048; 3.6 MB, built in ≈ 7,000 products)
   * @param largeWindowBits the window of the large table that replaces it for long runs (default
   *     12: 18 products per encryption; 40 MB, plus 40 MB of CRT tables for the key owner, built in
   *     ≈ 78,000 products); 0 disables it
   * @param largeTableAfter number of encryptions after which the large table is built in the
   *     background (default 8,192: where its build cost is repaid); {@link #precompute()} builds it
   *     at once
   */
  public record Options(
      int threads,
      ModularKernel kernel,
      int windowBits,
      int largeWindowBits,
      long largeTableAfter) {
    public Options {
      Objects.requireNonNull(kernel, "kernel");
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      if (windowBits < 1 || windowBits > 14 || largeWindowBits < 0 || largeWindowBits > 14) {
        throw new IllegalArgumentException(
            "window sizes must be 1..14 bits (0 disables the large table), were "
                + windowBits
                + " and "
                + largeWindowBits);
      }
    }

    /** All cores, the selected kernel, 8-bit windows, 12-bit after 8,192 encryptions. */
    public static Options defaults() {
      return new Options(
          Runtime.getRuntime().availableProcessors(), ModularKernel.selected(), 8, 12, 8192);
    }

    public Options withThreads(int t) {
      return new Options(t, kernel, windowBits, largeWindowBits, largeTableAfter);
    }

    public Options withKernel(ModularKernel k) {
      return new Options(threads, k, windowBits, largeWindowBits, largeTableAfter);
    }

    public Options withWindows(int small, int large) {
      return new Options(threads, kernel, small, large, largeTableAfter);
    }
  }

  private final PaillierPublicKey key;
  private final PaillierPrivateKey privateKey;
  private final Options options;
  private final BigInteger n;
  private final BigInteger nSquared;
  private final ModularArithmetic<Object> nn;
  private final ModularArithmetic<Object> modN;

  /**
   * Key owner: {@code ρₙ mod p²}, {@code ρₙ mod q²} and {@code (q²)⁻¹·ρₚ mod p²} (see
   * randomFactor).
   */
  private final BigInteger[] crtConstants;

  private final ModularArithmetic<Object> pp;
  private final ModularArithmetic<Object> qq;
  private final ForkJoinPool pool;
  private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(SecureRandom::new);
  private final AtomicLong encryptions = new AtomicLong();
  private final AtomicBoolean largeRequested = new AtomicBoolean();
  private volatile EncryptionTables small;
  private volatile EncryptionTables large;

  private PaillierEngine(PaillierPublicKey key, PaillierPrivateKey privateKey, Options options) {
    this.key = Objects.requireNonNull(key, "key");
    this.privateKey = privateKey;
    this.options = Objects.requireNonNull(options, "options");
    this.n = key.n();
    this.nSquared = key.nSquared();
    this.nn = cast(options.kernel().arithmetic(nSquared));
    this.modN = cast(options.kernel().arithmetic(n));
    if (privateKey != null) {
      this.pp = cast(options.kernel().arithmetic(privateKey.pSquared));
      this.qq = cast(options.kernel().arithmetic(privateKey.qSquared));
      this.crtConstants =
          new BigInteger[] {
            nn.domainFactor().mod(privateKey.pSquared),
            nn.domainFactor().mod(privateKey.qSquared),
            privateKey
                .qSquaredInverseModPSquared
                .multiply(pp.domainFactor())
                .mod(privateKey.pSquared)
          };
    } else {
      this.pp = null;
      this.qq = null;
      this.crtConstants = null;
    }
    this.pool = options.threads() > 1 ? new ForkJoinPool(options.threads()) : null;
  }

  @SuppressWarnings("unchecked")
  private static ModularArithmetic<Object> cast(ModularArithmetic<?> a) {
    return (ModularArithmetic<Object>) a;
  }

  /** An engine that can encrypt and compute, but not decrypt. */
  public static PaillierEngine forPublicKey(PaillierPublicKey key, Options options) {
    return new PaillierEngine(key, null, options);
  }

  /** An engine for the key owner: adds CRT encryption and decryption. */
  public static PaillierEngine forKeyOwner(PaillierPrivateKey key, Options options) {
    return new PaillierEngine(key.publicKey(), key, options);
  }

  public PaillierPublicKey publicKey() {
    return key;
  }

  public boolean isKeyOwner() {
    return privateKey != null;
  }

  public Options options() {
    return options;
  }

  /** The effective parameters, for logs and the audit trail (DESIGN.md §2 rule 6). */
  public EffectiveParameters effectiveParameters() {
    return new EffectiveParameters(
        "paillier-djn",
        key.bits(),
        key.exponentBits(),
        activeWindowBits(),
        options.kernel().describe(),
        options.threads(),
        isKeyOwner() ? "crt" : "public",
        key.keyId());
  }

  // ---------------------------------------------------------------- encryption

  /**
   * Fixed-base tables for one window size: {@code h_s} mod n² (public path) and, for the key owner,
   * {@code h_s} mod p² and mod q² (CRT path), each built on first use.
   */
  private final class EncryptionTables {
    private final int window;
    private volatile FixedBaseExponentiation<Object> publicTable;
    private volatile FixedBaseExponentiation<Object>[] crt;

    EncryptionTables(int window) {
      this.window = window;
    }

    synchronized FixedBaseExponentiation<Object> publicTable() {
      if (publicTable == null) {
        publicTable =
            new FixedBaseExponentiation<>(
                nn, nn.fromBigInteger(key.hs()), key.exponentBits(), window);
      }
      return publicTable;
    }

    @SuppressWarnings("unchecked")
    synchronized FixedBaseExponentiation<Object>[] crt() {
      if (crt == null) {
        crt =
            new FixedBaseExponentiation[] {
              new FixedBaseExponentiation<>(
                  pp,
                  pp.fromBigInteger(key.hs().mod(privateKey.pSquared)),
                  key.exponentBits(),
                  window),
              new FixedBaseExponentiation<>(
                  qq,
                  qq.fromBigInteger(key.hs().mod(privateKey.qSquared)),
                  key.exponentBits(),
                  window)
            };
      }
      return crt;
    }

    FixedBaseExponentiation<Object> publicTableIfBuilt() {
      FixedBaseExponentiation<Object> t = publicTable;
      return t != null ? t : publicTable();
    }

    FixedBaseExponentiation<Object>[] crtIfBuilt() {
      FixedBaseExponentiation<Object>[] t = crt;
      return t != null ? t : crt();
    }

    void buildAll() {
      publicTable();
      if (privateKey != null) {
        crt();
      }
    }
  }

  /** The tables to encrypt with now: the large ones once built, else the small ones. */
  private EncryptionTables tables() {
    EncryptionTables big = large;
    if (big != null) {
      return big;
    }
    if (options.largeWindowBits() > 0
        && encryptions.incrementAndGet() >= options.largeTableAfter()
        && largeRequested.compareAndSet(false, true)) {
      Thread builder =
          new Thread(
              () -> {
                EncryptionTables t = new EncryptionTables(options.largeWindowBits());
                t.buildAll();
                large = t;
              },
              "fedcredit-paillier-tables");
      builder.setDaemon(true);
      builder.start();
    }
    EncryptionTables t = small;
    if (t == null) {
      synchronized (this) {
        if (small == null) {
          small = new EncryptionTables(options.windowBits());
        }
        t = small;
      }
    }
    return t;
  }

  /**
   * Builds the large fixed-base tables now (normally built in the background after {@link
   * Options#largeTableAfter()} encryptions), so that every following encryption uses them. For
   * long-running jobs and benchmarks. Returns the seconds it took.
   */
  public double precompute() {
    long t0 = System.nanoTime();
    if (options.largeWindowBits() > 0) {
      synchronized (this) {
        if (large == null) {
          largeRequested.set(true);
          EncryptionTables t = new EncryptionTables(options.largeWindowBits());
          t.buildAll();
          large = t;
        }
      }
    } else {
      tables().buildAll();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The fixed-base window in use for the next encryption. */
  public int activeWindowBits() {
    EncryptionTables big = large;
    return big != null ? big.window : options.windowBits();
  }

  private byte[] freshExponent(int bytes) {
    byte[] x = new byte[bytes];
    random.get().nextBytes(x);
    return x;
  }

  /** {@code h_s^x} for a fresh {@code x}, in internal form; CRT when we own the key. */
  private Object randomFactor() {
    EncryptionTables tables = tables();
    if (privateKey == null) {
      FixedBaseExponentiation<Object> t = tables.publicTableIfBuilt();
      return t.pow(freshExponent(t.exponentBytes()));
    }
    FixedBaseExponentiation<Object>[] crt = tables.crtIfBuilt();
    byte[] x = freshExponent(crt[0].exponentBytes());
    // With ρ the kernels' domain factors (Montgomery R, or 1): a product of an internal-form
    // element with a raw constant k yields the raw value ·k·ρ⁻¹. So yp·ρₙ mod p² costs the one
    // product that leaving the p² domain costs anyway, and the CRT recombination below produces
    // y·ρₙ mod n², which is y's internal form mod n² with no conversion product.
    BigInteger yp = pp.unload(pp.multiply(crt[0].pow(x), pp.load(crtConstants[0])));
    BigInteger yq = qq.unload(qq.multiply(crt[1].pow(x), qq.load(crtConstants[1])));
    BigInteger diff = yp.subtract(yq); // yq < q² < p²
    if (diff.signum() < 0) {
      diff = diff.add(privateKey.pSquared);
    }
    BigInteger h = pp.unload(pp.multiply(pp.load(diff), pp.load(crtConstants[2])));
    return nn.load(yq.add(privateKey.qSquared.multiply(h)));
  }

  /**
   * {@code (1 + m·n)·Y mod n²} on the internal bits {@code Y}: since {@code (1+mn)·Y ≡ Y + n·(m·Y
   * mod n)}, this needs one product mod n instead of one mod n², and it commutes with the
   * Montgomery factor R, so it works on the internal form directly.
   */
  private Object withPlaintext(Object y, BigInteger m) {
    if (m.signum() == 0) {
      return y;
    }
    BigInteger yBits = nn.unload(y);
    BigInteger c = yBits.add(n.multiply(modN.multiplyPlain(m, modN.reduce(yBits))));
    if (c.compareTo(nSquared) >= 0) {
      c = c.subtract(nSquared);
    }
    return nn.load(c);
  }

  private BigInteger checkPlaintext(BigInteger m) {
    return key.checkPlaintext(m);
  }

  /**
   * Encrypts {@code m ∈ [0, n)} with a fresh random exponent; CRT-accelerated when this engine owns
   * the key.
   */
  public Ciphertext encrypt(BigInteger m) {
    return EngineTimings.time(EngineTimings.Op.ENCRYPT, 1, () -> encryptOne(m));
  }

  private Ciphertext encryptOne(BigInteger m) {
    return new Ciphertext(this, withPlaintext(randomFactor(), checkPlaintext(m)));
  }

  /** Encrypts a signed integer, mapping negatives to {@code n − |m|}. */
  public Ciphertext encrypt(long m) {
    return encrypt(BigInteger.valueOf(m).mod(n));
  }

  /** Encrypts with the public-key path even when this engine owns the key (for comparison). */
  public Ciphertext encryptWithPublicKey(BigInteger m) {
    FixedBaseExponentiation<Object> t = tables().publicTableIfBuilt();
    Object y = t.pow(freshExponent(t.exponentBytes()));
    return new Ciphertext(this, withPlaintext(y, checkPlaintext(m)));
  }

  /** Encrypts every value, in parallel. */
  public Ciphertext[] encrypt(BigInteger[] ms) {
    return EngineTimings.time(
        EngineTimings.Op.ENCRYPT,
        ms.length,
        () -> parallel(ms.length, i -> encryptOne(ms[i]), Ciphertext[]::new));
  }

  /** Multiplies in a fresh {@code h_s^x}: same plaintext, unlinkable ciphertext. */
  public Ciphertext rerandomize(Ciphertext c) {
    return EngineTimings.time(EngineTimings.Op.RERANDOMIZE, 1, () -> rerandomizeOne(c));
  }

  private Ciphertext rerandomizeOne(Ciphertext c) {
    return new Ciphertext(this, nn.multiply(own(c), randomFactor()));
  }

  /** Re-randomises every ciphertext, in parallel. */
  public Ciphertext[] rerandomize(Ciphertext[] cs) {
    return EngineTimings.time(
        EngineTimings.Op.RERANDOMIZE,
        cs.length,
        () -> parallel(cs.length, i -> rerandomizeOne(cs[i]), Ciphertext[]::new));
  }

  // ---------------------------------------------------------------- decryption

  /** Decrypts to {@code m ∈ [0, n)} with CRT. */
  public BigInteger decrypt(Ciphertext c) {
    requireOwner("decrypt");
    return EngineTimings.time(EngineTimings.Op.DECRYPT, 1, () -> decryptOne(c));
  }

  private BigInteger decryptOne(Ciphertext c) {
    return privateKey.decryptRaw(nn.toBigInteger(own(c)));
  }

  /** Decrypts every ciphertext, in parallel. */
  public BigInteger[] decrypt(Ciphertext[] cs) {
    requireOwner("decrypt");
    return EngineTimings.time(
        EngineTimings.Op.DECRYPT,
        cs.length,
        () -> parallel(cs.length, i -> decryptOne(cs[i]), BigInteger[]::new));
  }

  private void requireOwner(String what) {
    if (privateKey == null) {
      throw new PaillierException(
          "cannot " + what + ": this engine holds only the public key " + key.keyId());
    }
  }

  // ---------------------------------------------------------------- homomorphic operations

  /** {@code [[a + b]]}. */
  public Ciphertext add(Ciphertext a, Ciphertext b) {
    return new Ciphertext(this, nn.multiply(own(a), own(b)));
  }

  /** {@code [[a + k]]} for a plaintext {@code k ∈ [0, n)} without a fresh encryption. */
  public Ciphertext addPlaintext(Ciphertext a, BigInteger k) {
    return new Ciphertext(this, withPlaintext(own(a), checkPlaintext(k)));
  }

  /** {@code [[−a]]}: one inversion mod n². */
  public Ciphertext negate(Ciphertext a) {
    return new Ciphertext(this, invert(own(a)));
  }

  /** {@code [[a − b]]}. */
  public Ciphertext subtract(Ciphertext a, Ciphertext b) {
    return new Ciphertext(this, nn.multiply(own(a), invert(own(b))));
  }

  /** {@code [[k·a]]} for a signed integer {@code k}. */
  public Ciphertext multiply(Ciphertext a, BigInteger k) {
    Object v = own(a);
    if (k.signum() < 0) {
      return new Ciphertext(this, nn.pow(invert(v), k.negate()));
    }
    return new Ciphertext(this, nn.pow(v, k));
  }

  /** {@code [[2^bits·a]]} by {@code bits} squarings mod n². */
  @Override
  public Ciphertext shiftLeft(Ciphertext a, int bits) {
    if (bits < 0) {
      throw new IllegalArgumentException("cannot shift by " + bits + " bits");
    }
    Object v = own(a);
    for (int i = 0; i < bits; i++) {
      v = nn.square(v);
    }
    return new Ciphertext(this, v);
  }

  /** {@code [[k·a]]} for a signed integer {@code k}. */
  public Ciphertext multiply(Ciphertext a, long k) {
    return multiply(a, BigInteger.valueOf(k));
  }

  /** Element-wise {@code [[kᵢ·aᵢ]]} for signed integers, in parallel. */
  public Ciphertext[] multiply(Ciphertext[] a, long[] k) {
    if (a.length != k.length) {
      throw new IllegalArgumentException(
          "vectors differ in length: " + a.length + " ciphertexts, " + k.length + " scalars");
    }
    return parallel(a.length, i -> multiply(a[i], k[i]), Ciphertext[]::new);
  }

  /** {@code [[Σ aᵢ]]}; the encryption of 0 without randomness if empty (do not send that). */
  public Ciphertext sum(Ciphertext[] cs) {
    Object acc = nn.one();
    for (Ciphertext c : cs) {
      acc = nn.multiply(acc, own(c));
    }
    return new Ciphertext(this, acc);
  }

  /** Element-wise {@code [[aᵢ + bᵢ]]}, in parallel. */
  public Ciphertext[] add(Ciphertext[] a, Ciphertext[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors differ in length: " + a.length + " vs " + b.length);
    }
    return parallel(a.length, i -> add(a[i], b[i]), Ciphertext[]::new);
  }

  /**
   * {@code Xᵀ·[[d]]}: for each column {@code j}, {@code [[Σᵢ columns[j][i]·dᵢ]]}, by bucket
   * multi-exponentiation. Coefficients are signed fixed-point integers (|x| &lt; 2⁶³); terms are
   * split by sign and the negative product is inverted once per column.
   *
   * @param d the encrypted vector, length N
   * @param columns d columns, each of length N (the plaintext matrix X, column-major)
   */
  public Ciphertext[] multiplyMatrix(Ciphertext[] d, long[][] columns) {
    long t0 = EngineTimings.start(EngineTimings.Op.MULTIPLY_MATRIX);
    try {
      return multiplyMatrixUntimed(d, columns);
    } finally {
      EngineTimings.stop(EngineTimings.Op.MULTIPLY_MATRIX, t0, (long) d.length * columns.length);
    }
  }

  private Ciphertext[] multiplyMatrixUntimed(Ciphertext[] d, long[][] columns) {
    Object[] bases = new Object[d.length];
    for (int i = 0; i < d.length; i++) {
      bases[i] = own(d[i]);
    }
    for (int j = 0; j < columns.length; j++) {
      if (columns[j].length != d.length) {
        throw new IllegalArgumentException(
            "column " + j + " has " + columns[j].length + " entries, the vector " + d.length);
      }
    }
    int chunksPerColumn =
        Math.max(1, Math.min(options.threads() / Math.max(1, columns.length), d.length / 64));
    List<int[]> tasks = new ArrayList<>(); // {column, from, to}
    for (int j = 0; j < columns.length; j++) {
      for (int k = 0; k < chunksPerColumn; k++) {
        tasks.add(
            new int[] {
              j,
              (int) ((long) d.length * k / chunksPerColumn),
              (int) ((long) d.length * (k + 1) / chunksPerColumn)
            });
      }
    }
    Object[][] partial =
        parallel(
            tasks.size(),
            t -> signedProduct(bases, columns[tasks.get(t)[0]], tasks.get(t)[1], tasks.get(t)[2]),
            Object[][]::new);
    return parallel(
        columns.length,
        j -> {
          Object pos = null;
          Object neg = null;
          for (int k = 0; k < chunksPerColumn; k++) {
            Object[] pq = partial[j * chunksPerColumn + k];
            pos = pq[0] == null ? pos : pos == null ? pq[0] : nn.multiply(pos, pq[0]);
            neg = pq[1] == null ? neg : neg == null ? pq[1] : nn.multiply(neg, pq[1]);
          }
          Object p = pos == null ? nn.one() : pos;
          return new Ciphertext(this, neg == null ? p : nn.multiply(p, invert(neg)));
        },
        Ciphertext[]::new);
  }

  /** {P, Q} with P = ∏_{e>0} bᵢ^eᵢ, Q = ∏_{e<0} bᵢ^|eᵢ| over [from, to); null where empty. */
  private Object[] signedProduct(Object[] bases, long[] exps, int from, int to) {
    int[] posIdx = new int[to - from];
    int[] negIdx = new int[to - from];
    long[] abs = new long[bases.length];
    int np = 0;
    int nq = 0;
    for (int i = from; i < to; i++) {
      long e = exps[i];
      if (e > 0) {
        posIdx[np++] = i;
        abs[i] = e;
      } else if (e < 0) {
        if (e == Long.MIN_VALUE) {
          throw new IllegalArgumentException("coefficient " + i + " is Long.MIN_VALUE");
        }
        negIdx[nq++] = i;
        abs[i] = -e;
      }
    }
    Object p = np == 0 ? null : MultiExponentiation.product(nn, bases, abs, posIdx, 0, np);
    Object q = nq == 0 ? null : MultiExponentiation.product(nn, bases, abs, negIdx, 0, nq);
    return new Object[] {p, q};
  }

  private Object invert(Object v) {
    BigInteger c = nn.toBigInteger(v);
    try {
      return nn.fromBigInteger(c.modInverse(nSquared));
    } catch (ArithmeticException e) {
      throw new PaillierException(
          "ciphertext is not invertible mod n²: it is not a valid ciphertext");
    }
  }

  // ---------------------------------------------------------------- wire form

  /** The canonical residue mod n² (what goes on the wire). */
  public BigInteger toBigInteger(Ciphertext c) {
    return nn.toBigInteger(own(c));
  }

  /**
   * Imports a wire ciphertext.
   *
   * @throws PaillierException if it is outside {@code [1, n²)}
   */
  public Ciphertext fromBigInteger(BigInteger c) {
    EncryptedVector.checkRange(key, c, 0, 1);
    return new Ciphertext(this, nn.fromBigInteger(c));
  }

  /** Converts to the wire form, in parallel. */
  public EncryptedVector toWire(Ciphertext[] cs, EncodingDescriptor encoding) {
    long t0 = EngineTimings.start(EngineTimings.Op.WIRE);
    try {
      BigInteger[] wire = parallel(cs.length, i -> toBigInteger(cs[i]), BigInteger[]::new);
      return EncryptedVector.of(key, wire, encoding);
    } finally {
      EngineTimings.stop(EngineTimings.Op.WIRE, t0, cs.length);
    }
  }

  /**
   * Imports a received vector, in parallel.
   *
   * @throws KeyMismatchException if the vector is under another key
   */
  public Ciphertext[] fromWire(EncryptedVector v) {
    if (!v.key().keyId().equals(key.keyId())) {
      throw new KeyMismatchException(key.keyId(), v.key().keyId());
    }
    long t0 = EngineTimings.start(EngineTimings.Op.WIRE);
    try {
      return parallel(
          v.size(), i -> new Ciphertext(this, nn.fromBigInteger(v.get(i))), Ciphertext[]::new);
    } finally {
      EngineTimings.stop(EngineTimings.Op.WIRE, t0, v.size());
    }
  }

  private Object own(Ciphertext c) {
    Objects.requireNonNull(c, "ciphertext");
    if (c.engine == this) {
      return c.value;
    }
    if (!c.engine.publicKey().keyId().equals(key.keyId())) {
      throw new KeyMismatchException(key.keyId(), c.engine.publicKey().keyId());
    }
    return nn.fromBigInteger(c.engine.toBigInteger(c));
  }

  // ---------------------------------------------------------------- threads

  private <T> T[] parallel(int count, IntFunction<T> f, IntFunction<T[]> array) {
    T[] out = array.apply(count);
    if (pool != null && pool.isShutdown()) {
      throw new IllegalStateException("this PaillierEngine was closed; create a new one");
    }
    if (pool == null || count < 2) {
      for (int i = 0; i < count; i++) {
        out[i] = f.apply(i);
      }
      return out;
    }
    pool.submit(() -> IntStream.range(0, count).parallel().forEach(i -> out[i] = f.apply(i)))
        .join();
    return out;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
