package org.fedcredit.bench.paillier;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * FedCredit's {@link PaillierEngine}: one public-key engine and one key-owner engine per thread
 * count ({@code Options.withThreads(t)}), batch APIs throughout. Inputs are imported into the
 * engine's own form before the clock starts, as a real job keeps ciphertexts in that form.
 */
final class FedCreditContestant implements Contestant {

  private final Fixture fixture;
  private final Map<Integer, PaillierEngine> publicEngines = new HashMap<>();
  private final Map<Integer, PaillierEngine> ownerEngines = new HashMap<>();

  FedCreditContestant(Fixture fixture) {
    this.fixture = fixture;
  }

  @Override
  public Implementation impl() {
    return Implementation.FEDCREDIT;
  }

  /** The effective parameters of the public-key engine at {@code threads}, for the report. */
  String kernel() {
    return publicEngine(1).effectiveParameters().kernel();
  }

  private PaillierEngine publicEngine(int threads) {
    return publicEngines.computeIfAbsent(
        threads,
        t ->
            precomputed(
                PaillierEngine.forPublicKey(
                    fixture.keys.publicKey(), PaillierEngine.Options.defaults().withThreads(t))));
  }

  private PaillierEngine ownerEngine(int threads) {
    return ownerEngines.computeIfAbsent(
        threads,
        t ->
            precomputed(
                PaillierEngine.forKeyOwner(
                    fixture.keys.privateKey(), PaillierEngine.Options.defaults().withThreads(t))));
  }

  /**
   * Steady state: the engine switches to its large fixed-base table after 8,192 encryptions in a
   * real job; building it up front (untimed) keeps that switch out of the measured rounds.
   */
  private PaillierEngine precomputed(PaillierEngine engine) {
    tableSeconds += engine.precompute();
    return engine;
  }

  private double tableSeconds;

  @Override
  public Trial<?> trial(Op op, int threads, Workload workload) {
    String where = op.jsonName() + " (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    switch (op) {
      case ENCRYPT:
      case ENCRYPT_OWNER:
        {
          PaillierEngine engine = op == Op.ENCRYPT ? publicEngine(threads) : ownerEngine(threads);
          BigInteger[] m = ((Workload.Encrypt) workload).plaintexts();
          return new Trial<>(
              () -> engine.encrypt(m),
              out -> {
                for (int i : Fixture.sample(m.length, 3)) {
                  fixture.expectJavallierDecrypts(
                      engine.toBigInteger(out[i]), m[i], where + " output " + i);
                }
              },
              m.length,
              Optional.of(
                  String.format(
                      java.util.Locale.ROOT,
                      "steady state: %d-bit fixed-base tables built beforehand by precompute()"
                          + " (%.1f s in all, untimed)",
                      engine.activeWindowBits(),
                      tableSeconds)));
        }
      case DECRYPT:
        {
          PaillierEngine engine = ownerEngine(threads);
          Workload.Decrypt w = (Workload.Decrypt) workload;
          Ciphertext[] c = importAll(engine, w.ciphertexts());
          return new Trial<>(
              () -> engine.decrypt(c),
              out -> {
                for (int i = 0; i < out.length; i++) {
                  fixture.expectPlaintext(
                      out[i], w.plaintexts()[i], "fedcredit " + where + " output " + i);
                }
              },
              c.length,
              Optional.empty());
        }
      case ADD:
        {
          PaillierEngine engine = publicEngine(threads);
          Workload.Add w = (Workload.Add) workload;
          Ciphertext[] a = importAll(engine, w.a());
          Ciphertext[] b = importAll(engine, w.b());
          return new Trial<>(
              () -> engine.add(a, b),
              out -> {
                for (int i : Fixture.sample(a.length, 3)) {
                  fixture.expectJavallierDecrypts(
                      engine.toBigInteger(out[i]),
                      w.ma()[i].add(w.mb()[i]),
                      where + " output " + i);
                }
              },
              a.length,
              Optional.empty());
        }
      case MUL16:
        {
          PaillierEngine engine = publicEngine(threads);
          Workload.Multiply w = (Workload.Multiply) workload;
          Ciphertext[] c = importAll(engine, w.c());
          long[] k = w.k();
          return new Trial<>(
              () -> engine.multiply(c, k),
              out -> {
                for (int i : Fixture.sample(c.length, 3)) {
                  fixture.expectJavallierDecrypts(
                      engine.toBigInteger(out[i]),
                      w.m()[i].multiply(BigInteger.valueOf(k[i])),
                      where + " output " + i);
                }
              },
              c.length,
              Optional.empty());
        }
      case MULTIEXP16:
      case MULTIEXP53:
        {
          PaillierEngine engine = publicEngine(threads);
          Workload.MatrixProduct w = (Workload.MatrixProduct) workload;
          Ciphertext[] d = importAll(engine, w.d());
          long[][] columns = w.columns();
          return new Trial<>(
              () -> engine.multiplyMatrix(d, columns),
              out -> {
                for (int j = 0; j < columns.length; j++) {
                  fixture.expectJavallierDecrypts(
                      engine.toBigInteger(out[j]),
                      fixture.dot(columns[j], w.m()),
                      where + " column " + j);
                }
              },
              w.units(),
              Optional.empty());
        }
    }
    throw new AssertionError(op);
  }

  private static Ciphertext[] importAll(PaillierEngine engine, BigInteger[] wire) {
    Ciphertext[] out = new Ciphertext[wire.length];
    Map<BigInteger, Ciphertext> seen = new HashMap<>();
    for (int i = 0; i < wire.length; i++) {
      // Inputs repeat pool entries; import each once (the engine form is immutable).
      out[i] = seen.computeIfAbsent(wire[i], engine::fromBigInteger);
    }
    return out;
  }

  @Override
  public void close() {
    publicEngines.values().forEach(PaillierEngine::close);
    ownerEngines.values().forEach(PaillierEngine::close);
  }
}
