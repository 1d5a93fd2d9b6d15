package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A published model version (DESIGN §5 step 6): every party stores its shard, the coordinator
 * registers the version and the hash of each shard.
 *
 * @param jobId the job that trained it
 * @param version 1, 2, ... per job
 * @param metricsJson evaluation metrics as a JSON object (AUC, KS, ...)
 * @param shardSha256 per party id, the SHA-256 of that party's shard (64 hex digits, stored lower
 *     case); at least one
 */
public record ModelRecord(
    String jobId,
    int version,
    Instant createdAt,
    String metricsJson,
    SortedMap<String, String> shardSha256) {
  public ModelRecord {
    Checks.jobId(jobId);
    if (version < 1) {
      throw new IllegalArgumentException(
          "model version " + version + " of job " + jobId + " is not valid; versions start at 1");
    }
    createdAt = Checks.micros(createdAt, "createdAt");
    metricsJson = Json.requireObject(metricsJson, "metrics of model " + idOf(jobId, version));
    if (shardSha256.isEmpty()) {
      throw new IllegalArgumentException(
          "model " + idOf(jobId, version) + " has no shard hashes; give one per party");
    }
    TreeMap<String, String> shards = new TreeMap<>();
    shardSha256.forEach(
        (party, hash) ->
            shards.put(
                Checks.text(party, "party id", 255),
                Checks.sha256Hex(hash, "shard hash of party " + party)));
    shardSha256 = Collections.unmodifiableSortedMap(shards);
  }

  /** Convenience for callers that hold a plain map. */
  public static ModelRecord of(
      String jobId,
      int version,
      Instant createdAt,
      String metricsJson,
      Map<String, String> shards) {
    return new ModelRecord(jobId, version, createdAt, metricsJson, new TreeMap<>(shards));
  }

  /** The model id: {@code <jobId>-v<version>}, e.g. job-20261126-ab12cd-v1. */
  public String modelId() {
    return idOf(jobId, version);
  }

  public static String idOf(String jobId, int version) {
    return jobId + "-v" + version;
  }
}
