package org.fedcredit.coordinator.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.JobState;
import org.fedcredit.coordinator.store.JobSubmission;
import org.fedcredit.coordinator.store.JobTransition;
import org.fedcredit.coordinator.translog.NoteKeys;

/**
 * Two jobs' audit entries with the fields {@code AuditTrail} and {@code
 * GrpcLocalParty.cryptoRounds} write, appended through a real {@link AuditLog} (checkpoint after
 * each append, as the scheduler does), and the jobs in the store.
 *
 * <p>Log indices: 0 job-submitted, 1–3 party decisions, 4 psi-completed, 5 setup round, 6–8 rounds
 * 0–2, 9 model-published, 10 job-ended (job {@link #OK}); 11 job-submitted, 12 refusal (reason with
 * markup), 13 job-ended rejected (job {@link #REJECTED}).
 */
public final class AuditFixture {
  public static final String OK = "job-20261127-aa11bb";
  public static final String REJECTED = "job-20261127-cc22dd";
  public static final String XSS_REASON = "column <script>alert(1)</script> is not allowed";
  public static final Instant T0 = Instant.parse("2026-11-27T04:00:00Z");
  public static final String SHARD_BANK = "ab".repeat(32);

  private AuditFixture() {}

  public static NoteKeys.Signer key() {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) 7);
    return new NoteKeys.Signer("fedcredit/coordinator", seed);
  }

  /** Fills {@code store} and {@code log}; returns the number of entries (14). */
  public static long fill(CoordinatorStore store, AuditLog log) {
    List<String> parties = List.of("bank", "tax-bureau", "utility");
    store.createJob(
        new JobSubmission(OK, "sme-credit-2026", "vertical-lr", "bank", "name: sme", parties));
    store.transition(OK, JobTransition.to(JobState.APPROVED, "all parties accepted"));
    store.transition(OK, JobTransition.to(JobState.RUNNING, "psi").atStep("psi", 0));
    store.transition(OK, JobTransition.to(JobState.SUCCEEDED, "done"));
    store.createJob(
        new JobSubmission(
            REJECTED, "income-model", "secureboost", "bank", "name: income", parties));
    store.transition(REJECTED, JobTransition.to(JobState.REJECTED, XSS_REASON));

    append(log, OK, "job-submitted", submitted("sme-credit-2026", "vertical-lr"));
    for (String p : parties) {
      append(log, OK, "party-decision", decision(p, "accepted", "policy allows these columns"));
    }
    Map<String, Object> counts = new java.util.TreeMap<>();
    for (String p : parties) {
      counts.put(p, Map.of("aligned_rows", 1800, "input_rows", 2000, "rows_without_consent", 12));
    }
    append(log, OK, "psi-completed", Map.of("parties", counts));
    List<AuditEntry> rounds = new ArrayList<>();
    rounds.add(round("setup", 0));
    for (int r = 0; r < 3; r++) {
      rounds.add(round(String.valueOf(r), 3));
    }
    log.appendAll(rounds);
    log.checkpoint();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("model", OK + "/v1");
    model.put("version", 1);
    model.put(
        "shard_sha256",
        new java.util.TreeMap<>(
            Map.of("bank", SHARD_BANK, "tax-bureau", "cd".repeat(32), "utility", "ef".repeat(32))));
    model.put("metrics_json", "{\"auc\":0.8}");
    append(log, OK, "model-published", model);
    append(log, OK, "job-ended", Map.of("state", "succeeded", "message", "done"));

    append(log, REJECTED, "job-submitted", submitted("income-model", "secureboost"));
    append(log, REJECTED, "party-decision", decision("tax-bureau", "rejected", XSS_REASON));
    append(log, REJECTED, "job-ended", Map.of("state", "rejected", "message", XSS_REASON));
    return log.size();
  }

  static void append(AuditLog log, String job, String type, Map<String, Object> f) {
    log.append(AuditEntry.ofJob(type, job, T0.plusSeconds(log.size()), f));
    log.checkpoint();
  }

  static Map<String, Object> submitted(String name, String algorithm) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    f.put("algorithm", algorithm);
    f.put("submitter", "bank");
    f.put("parties", List.of("bank", "tax-bureau", "utility"));
    f.put("label_party", "bank");
    f.put("spec_sha256", "12".repeat(32));
    f.put("spec", "name: " + name + "\nalgorithm: " + algorithm + "\n");
    return f;
  }

  static Map<String, Object> decision(String party, String decision, String reason) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("party", party);
    f.put("decision", decision);
    f.put("reason", reason);
    f.put("columns", List.of("overdraft_use", "late_repayments_12m"));
    f.put("dataset", party + "-2026q3");
    f.put("certificate_sha256", "34".repeat(32));
    return f;
  }

  /** A crypto round as GrpcLocalParty.cryptoRounds writes it, with {@code vectors} received. */
  static AuditEntry round(String round, int vectors) {
    Map<String, Object> crypto = new LinkedHashMap<>();
    crypto.put("scheme", "paillier-djn");
    crypto.put("key_bits", 2048);
    crypto.put("exponent_bits", 224);
    crypto.put("window_bits", 8);
    crypto.put("kernel", "montgomery-intrinsic");
    crypto.put("threads", 2);
    crypto.put("encryption_path", "crt");
    crypto.put("key_id", "k-77");
    crypto.put("library", "fedcredit-secagg 0.1.0");
    List<Map<String, Object>> received = new ArrayList<>();
    List<String> from = List.of("bank", "tax-bureau", "utility");
    for (int i = 0; i < vectors; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", from.get(i % 3));
      m.put("tag", "lr/" + round + "/masked-gradient/" + from.get(i % 3));
      m.put("type", "EncryptedVector");
      m.put("key_id", "k-77");
      m.put("ciphertexts", 20);
      m.put("ciphertext_bytes", 512);
      m.put("scale_bits", 40);
      m.put("slots", 1);
      m.put("sha256", String.format("%064x", 1000 + i));
      received.add(m);
    }
    List<Map<String, Object>> sent = new ArrayList<>();
    if (round.equals("setup")) {
      sent.add(
          Map.of(
              "to",
              "bank",
              "tag",
              "lr/key",
              "type",
              "PaillierPublicKey",
              "key_id",
              "k-77",
              "key_bits",
              2048,
              "exponent_bits",
              224,
              "sha256",
              "56".repeat(32)));
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("step", "train");
    f.put("round", round);
    f.put("protocol", "vertical-lr");
    f.put("role", "decryptor of masked gradients and of the epoch's total loss");
    f.put("crypto", crypto);
    f.put("received", received);
    f.put("aggregate", List.of());
    f.put("sent", sent);
    f.put("dropouts", List.of());
    f.put("participants", Map.of("bank", "34".repeat(32)));
    return AuditEntry.ofJob("crypto-round", OK, T0.plusSeconds(5), f);
  }
}
