package org.fedcredit.bench.paillier;

import java.util.Objects;
import java.util.Optional;

/**
 * The median result of one operation for one implementation and thread count.
 *
 * @param op the operation
 * @param impl the implementation
 * @param threads worker threads
 * @param value operations per second, or microseconds per term when {@link Op#perTerm()}
 * @param note what differs from the plain reading of the op, if anything
 */
public record Measurement(
    Op op, Implementation impl, int threads, double value, Optional<String> note) {
  public Measurement {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(impl, "impl");
    Objects.requireNonNull(note, "note");
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(op.jsonName() + " measured a non-positive rate: " + value);
    }
  }
}
