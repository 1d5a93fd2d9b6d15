package org.fedcredit.bench.paillier;

/**
 * A measured result failed its correctness check (a sampled output did not decrypt to the plaintext
 * arithmetic): the benchmark's numbers for that implementation are void.
 */
public final class BenchmarkFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchmarkFailedException(String message) {
    super(message);
  }
}
