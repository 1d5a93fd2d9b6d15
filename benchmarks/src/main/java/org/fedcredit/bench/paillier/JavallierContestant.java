package org.fedcredit.bench.paillier;

import com.n1analytics.paillier.util.BigIntegerUtil;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * javallier 0.6.0 through its raw API ({@code raw_encrypt}, {@code raw_decrypt}, {@code raw_add},
 * {@code raw_multiply}) on the same key. javallier has no batch or thread API, so {@code t} threads
 * means a {@code t}-thread executor over the same batch.
 *
 * <p>javallier's modular exponentiation goes through GMP (jnagmp) when it can load libgmp, else
 * through {@link BigInteger#modPow}; {@link #modPowBackend()} says which, and the report carries
 * it.
 */
final class JavallierContestant implements Contestant {

  private final Fixture fixture;
  private final Map<Integer, Workers> workers = new HashMap<>();

  JavallierContestant(Fixture fixture) {
    this.fixture = fixture;
  }

  @Override
  public Implementation impl() {
    return Implementation.JAVALLIER;
  }

  /** Where javallier's modPow runs in this JVM. */
  static String modPowBackend() {
    return BigIntegerUtil.USE_GMP ? "GMP via jnagmp" : "java.math.BigInteger";
  }

  @Override
  public Trial<?> trial(Op op, int threads, Workload workload) {
    var pub = fixture.theirPublic;
    var priv = fixture.theirPrivate;
    Workers pool = workers.computeIfAbsent(threads, Workers::new);
    String where = op.jsonName() + " (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    String backend = "modPow: " + modPowBackend();
    switch (op) {
      case ENCRYPT:
      case ENCRYPT_OWNER:
        {
          BigInteger[] m = ((Workload.Encrypt) workload).plaintexts();
          return new Trial<>(
              () -> pool.map(m.length, i -> pub.raw_encrypt(m[i]), BigInteger[]::new),
              out -> {
                for (int i : Fixture.sample(m.length, 3)) {
                  fixture.expectFedCreditDecrypts(out[i], m[i], where + " output " + i);
                }
              },
              m.length,
              Optional.of(
                  op == Op.ENCRYPT
                      ? backend
                      : "javallier has no key-owner (CRT) encryption: this is raw_encrypt with"
                          + " the public key again; "
                          + backend));
        }
      case DECRYPT:
        {
          Workload.Decrypt w = (Workload.Decrypt) workload;
          BigInteger[] c = w.ciphertexts();
          return new Trial<>(
              () -> pool.map(c.length, i -> priv.raw_decrypt(c[i]), BigInteger[]::new),
              out -> {
                for (int i = 0; i < out.length; i++) {
                  fixture.expectPlaintext(
                      out[i], w.plaintexts()[i], "javallier " + where + " output " + i);
                }
              },
              c.length,
              Optional.of(backend));
        }
      case ADD:
        {
          Workload.Add w = (Workload.Add) workload;
          BigInteger[] a = w.a();
          BigInteger[] b = w.b();
          return new Trial<>(
              () -> pool.map(a.length, i -> pub.raw_add(a[i], b[i]), BigInteger[]::new),
              out -> {
                for (int i : Fixture.sample(a.length, 3)) {
                  fixture.expectFedCreditDecrypts(
                      out[i], w.ma()[i].add(w.mb()[i]), where + " output " + i);
                }
              },
              a.length,
              Optional.empty());
        }
      case MUL16:
        {
          Workload.Multiply w = (Workload.Multiply) workload;
          BigInteger[] c = w.c();
          BigInteger[] k = new BigInteger[c.length];
          for (int i = 0; i < k.length; i++) {
            k[i] = BigInteger.valueOf(w.k()[i]);
          }
          return new Trial<>(
              () -> pool.map(c.length, i -> pub.raw_multiply(c[i], k[i]), BigInteger[]::new),
              out -> {
                for (int i : Fixture.sample(c.length, 3)) {
                  fixture.expectFedCreditDecrypts(
                      out[i], w.m()[i].multiply(k[i]), where + " output " + i);
                }
              },
              c.length,
              Optional.of(backend));
        }
      case MULTIEXP16:
      case MULTIEXP53:
        {
          Workload.MatrixProduct w = (Workload.MatrixProduct) workload;
          BigInteger[] d = w.d();
          long[][] columns = w.columns();
          // javallier's EncodedNumber represents a negative k as k mod n; raw_multiply then needs
          // a full-length exponent for every negative coefficient.
          BigInteger[][] exponents = new BigInteger[columns.length][d.length];
          for (int j = 0; j < columns.length; j++) {
            for (int i = 0; i < d.length; i++) {
              exponents[j][i] = BigInteger.valueOf(columns[j][i]).mod(fixture.n);
            }
          }
          int chunks = Math.max(1, Math.min(threads, d.length));
          int tasks = columns.length * chunks;
          return new Trial<>(
              () -> {
                BigInteger[] partial =
                    pool.map(
                        tasks,
                        t -> {
                          int j = t / chunks;
                          int k = t % chunks;
                          int from = (int) ((long) d.length * k / chunks);
                          int to = (int) ((long) d.length * (k + 1) / chunks);
                          BigInteger acc = pub.raw_multiply(d[from], exponents[j][from]);
                          for (int i = from + 1; i < to; i++) {
                            acc = pub.raw_add(acc, pub.raw_multiply(d[i], exponents[j][i]));
                          }
                          return acc;
                        },
                        BigInteger[]::new);
                BigInteger[] out = new BigInteger[columns.length];
                for (int j = 0; j < columns.length; j++) {
                  BigInteger acc = partial[j * chunks];
                  for (int k = 1; k < chunks; k++) {
                    acc = pub.raw_add(acc, partial[j * chunks + k]);
                  }
                  out[j] = acc;
                }
                return out;
              },
              out -> {
                for (int j = 0; j < columns.length; j++) {
                  fixture.expectFedCreditDecrypts(
                      out[j], fixture.dot(columns[j], w.m()), where + " column " + j);
                }
              },
              w.units(),
              Optional.of(
                  "naive loop of raw_multiply and raw_add; a negative coefficient k is raised as"
                      + " k mod n, as javallier's EncodedNumber does; "
                      + backend));
        }
    }
    throw new AssertionError(op);
  }

  @Override
  public void close() {
    workers.values().forEach(Workers::close);
  }
}
