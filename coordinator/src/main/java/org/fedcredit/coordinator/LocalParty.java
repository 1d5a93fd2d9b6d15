package org.fedcredit.coordinator;

import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.job.JobSpec;

/**
 * The coordinator's own part in a job (in vertical LR: the neutral decryptor of masked values). It
 * runs in the coordinator's process over the same federation as the nodes.
 */
public interface LocalParty {

  /** Prepares the job's federation endpoint and program; called once the job is approved. */
  void open(String jobId, JobSpec spec, Map<String, String> addresses, ProgressSink progress);

  /** Runs {@code step} of the job and returns what it reports. */
  Map<String, Object> runStep(String jobId, String step);

  /**
   * What the local party computed under encryption in {@code step}, one map per round (the fields
   * of a {@code crypto-round} audit entry: effective crypto parameters, the ciphertexts received
   * and their SHA-256, what was sent back); empty when it took no part. Called once after the step.
   */
  default List<Map<String, Object>> cryptoRounds(String jobId, String step) {
    return List.of();
  }

  /** Stops the job: wakes a running step with an error and refuses further messages. */
  void abort(String jobId, String reason);

  /** The job ended (any outcome): releases its resources; later messages are refused. */
  void close(String jobId);

  /** Where the local party reports progress (e.g. the loss after each epoch). */
  interface ProgressSink {
    void progress(String step, String message);
  }
}
