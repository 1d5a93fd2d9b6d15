package org.fedcredit.bench.paillier;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One implementation's batch of one operation: inputs are prepared before the trial is built (not
 * timed), {@link #run} is what the clock measures, {@link #verify} checks a sample of the last
 * run's outputs against plaintext arithmetic (not timed).
 *
 * @param <O> the batch output
 */
final class Trial<O> {

  private final Supplier<O> body;
  private final Consumer<O> check;
  private final long units;
  private final Optional<String> note;
  private O last;

  /**
   * @param body the measured work
   * @param check throws {@link BenchmarkFailedException} if an output is wrong
   * @param units operations (or terms) per run, to turn time into a rate
   * @param note what differs from the plain reading of the op, if anything
   */
  Trial(Supplier<O> body, Consumer<O> check, long units, Optional<String> note) {
    this.body = Objects.requireNonNull(body);
    this.check = Objects.requireNonNull(check);
    this.units = units;
    this.note = Objects.requireNonNull(note);
  }

  /** Runs the batch once and returns the elapsed nanoseconds. */
  long run() {
    long t0 = System.nanoTime();
    O out = body.get();
    long elapsed = System.nanoTime() - t0;
    last = out;
    return elapsed;
  }

  void verify() {
    if (last == null) {
      throw new IllegalStateException("verify before run");
    }
    check.accept(last);
    last = null; // let the batch be collected before the next round
  }

  long units() {
    return units;
  }

  Optional<String> note() {
    return note;
  }
}
