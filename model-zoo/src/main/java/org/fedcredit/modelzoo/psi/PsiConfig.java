package org.fedcredit.modelzoo.psi;

import java.util.Objects;

/**
 * Parameters of one PSI run, the same at every party.
 *
 * @param jobId the job this alignment belongs to; it separates the hash-to-curve domain, so blinded
 *     ids of one job are useless in another
 * @param batchSize ids per message (default {@value #DEFAULT_BATCH_SIZE}: 128 KiB of points)
 * @param threads worker threads of this party for hashing and blinding (default: all processors)
 */
public record PsiConfig(String jobId, int batchSize, int threads) {

  public static final int DEFAULT_BATCH_SIZE = 4096;

  /** Largest batch: 65,536 points = 2 MiB per message, far below transport limits. */
  public static final int MAX_BATCH_SIZE = 65_536;

  public PsiConfig {
    Objects.requireNonNull(jobId, "jobId");
    if (jobId.isBlank()) {
      throw new IllegalArgumentException("PSI needs the job id; it separates hash domains");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "PSI batch size " + batchSize + " is out of range: use 1.." + MAX_BATCH_SIZE);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("PSI threads " + threads + ": use at least 1");
    }
  }

  /** Defaults: batches of 4,096 ids, one thread per available processor. */
  public static PsiConfig of(String jobId) {
    return new PsiConfig(jobId, DEFAULT_BATCH_SIZE, Runtime.getRuntime().availableProcessors());
  }

  public PsiConfig withBatchSize(int size) {
    return new PsiConfig(jobId, size, threads);
  }

  public PsiConfig withThreads(int n) {
    return new PsiConfig(jobId, batchSize, n);
  }
}
