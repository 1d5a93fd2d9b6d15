package org.fedcredit.bench.paillier;

/** One side of the comparison: builds the timed batch of an operation at a thread count. */
interface Contestant extends AutoCloseable {

  Implementation impl();

  /** A trial of {@code op} on {@code threads} threads over {@code workload}'s inputs. */
  Trial<?> trial(Op op, int threads, Workload workload);

  @Override
  void close();
}
