package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.audit.LogKeys;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify --dir}, {@code audit show} and {@code audit proof --proof} on an export
 * written the way the coordinator writes it: real audit entries (the fields {@code AuditTrail}
 * writes) appended through {@link AuditLog} on an H2 store, the key made by {@link LogKeys} in
 * {@code <work>/audit/}, and {@link AuditLog#exportTo} to {@code <work>/audit/export.json}.
 */
class AuditJobCommandsTest {
  static final String JOB = "job-20261127-aa11bb";
  static final String REJECTED = "job-20261127-cc22dd";
  static final Instant T0 = Instant.parse("2026-11-27T04:00:00Z");

  @TempDir Path dir;
  Path work;
  CoordinatorStore store;
  AuditLog log;
  Path export;

  @BeforeEach
  void fill() throws Exception {
    work = dir.resolve("demo/coordinator");
    store = CoordinatorStore.open(StoreConfig.embedded(work));
    log =
        AuditLog.open(
            store, LogKeys.loadOrCreate(work.resolve("audit/log.key"), "fedcredit/coordinator"));
    append(JOB, "job-submitted", submitted("sme-credit-2026", "vertical-lr"));
    for (String p : List.of("bank", "tax-bureau", "utility")) {
      append(JOB, "party-decision", decision(p, "accepted", "policy allows these columns"));
    }
    Map<String, Object> counts = new TreeMap<>();
    counts.put("bank", Map.of("aligned_rows", 1800, "input_rows", 2000));
    append(JOB, "psi-completed", Map.of("parties", counts));
    List<AuditEntry> rounds = new ArrayList<>();
    rounds.add(round("setup", 0));
    for (int r = 0; r < 3; r++) {
      rounds.add(round(String.valueOf(r), 60));
    }
    log.appendAll(rounds);
    log.checkpoint();
    append(
        JOB,
        "model-published",
        Map.of(
            "model", JOB + "/v1", "version", 1, "shard_sha256", Map.of("bank", "ab".repeat(32))));
    append(JOB, "job-ended", Map.of("state", "succeeded", "message", "done"));
    append(REJECTED, "job-submitted", submitted("income", "secureboost"));
    append(REJECTED, "party-decision", decision("tax-bureau", "rejected", "column income"));
    append(REJECTED, "job-ended", Map.of("state", "rejected", "message", "tax-bureau refused"));
    export = work.resolve("audit/export.json");
    log.exportTo(export);
  }

  @AfterEach
  void close() {
    store.close();
  }

  void append(String job, String type, Map<String, Object> f) {
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
    f.put("spec", "name: " + name + "\n");
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

  static AuditEntry round(String round, int vectors) {
    Map<String, Object> crypto = new LinkedHashMap<>();
    crypto.put("scheme", "paillier-djn");
    crypto.put("key_bits", 2048);
    crypto.put("exponent_bits", 224);
    crypto.put("key_id", "k-77");
    List<Map<String, Object>> received = new ArrayList<>();
    for (int i = 0; i < vectors; i++) {
      received.add(
          Map.of(
              "from",
              "bank",
              "tag",
              "lr/" + round + "/g" + i,
              "type",
              "EncryptedVector",
              "ciphertexts",
              20,
              "ciphertext_bytes",
              512,
              "scale_bits",
              40,
              "slots",
              1,
              "sha256",
              String.format("%064x", i)));
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("step", "train");
    f.put("round", round);
    f.put("protocol", "vertical-lr");
    f.put("role", "decryptor of masked gradients");
    f.put("crypto", crypto);
    f.put("received", received);
    f.put("aggregate", List.of());
    f.put("sent", List.of());
    f.put("dropouts", List.of());
    return AuditEntry.ofJob("crypto-round", JOB, T0.plusSeconds(5), f);
  }

  @Test
  void verifyDirFindsTheExportAndItsKeyAndListsTheJobsRounds() {
    CliHarness.Run run = CliHarness.run("audit", "verify", "--dir", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    Path pub = work.resolve("audit/log.pub");
    assertThat(run.out())
        .isEqualTo(
            "export: "
                + export
                + "\npublic key: "
                + pub
                + " (found beside the export: this shows only that the two agree; in"
                + " production obtain the log's public key out of band and pass --public-key)\n"
                + "leaves: 14\nroot: "
                + MerkleTree.hex(log.log().root(14))
                + "\nwitnesses of the latest checkpoint: 0\nverified\n"
                + "job "
                + JOB
                + " (vertical-lr, succeeded):\n"
                + "  round setup: paillier-djn, 2048-bit key, 0 ciphertext vectors received\n"
                + "  rounds 0–2: paillier-djn, 2048-bit key, 60 ciphertext vectors received each\n"
                + "job "
                + REJECTED
                + " (secureboost, rejected): no encrypted rounds in the log\n");
  }

  @Test
  void verifyDirOfATamperedExportExitsOneNamingTheIndex() throws Exception {
    store.inTransaction(
        "tamper",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("UPDATE translog_entries SET entry = X'7b7d' WHERE idx = 7");
          }
          return null;
        });
    log.exportTo(export);

    CliHarness.Run run = CliHarness.run("audit", "verify", "--dir", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("NOT verified: entry 7 was modified: its data hashes to ")
        .endsWith("first bad index: 7\n")
        .doesNotContain("verified\n", "job ");
  }

  @Test
  void verifyDirWithoutAnExportSaysWhereOneComesFrom() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    CliHarness.Run run = CliHarness.run("audit", "verify", "--dir", empty.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("no audit/export.json under " + empty)
        .contains("writes <work_dir>/audit/export.json when it stops");
  }

  @Test
  void verifyNeedsExactlyOneSource() {
    CliHarness.Run run = CliHarness.run("audit", "verify", "--export", export.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--export needs --public-key FILE");
  }

  @Test
  void showPrintsTheJobsEntriesWithTheRoundsKeySize() {
    CliHarness.Run run =
        CliHarness.run(
            "audit",
            "show",
            "--export",
            export.toString(),
            "--job",
            JOB,
            "--public-key",
            work.resolve("audit/log.pub").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    String out = run.out();
    assertThat(out)
        .startsWith(
            "export "
                + export
                + ": verified (14 leaves)\njob "
                + JOB
                + " (vertical-lr, succeeded), 11 entries\n"
                + "#0 2026-11-27T04:00:00Z job-submitted 'sme-credit-2026', vertical-lr,"
                + " submitted by bank; parties bank, tax-bureau, utility, labels at bank\n")
        .contains(
            "#2 2026-11-27T04:00:02Z party-decision tax-bureau accepted: policy allows these"
                + " columns\n    dataset: tax-bureau-2026q3\n"
                + "    columns: overdraft_use, late_repayments_12m\n")
        .contains("#4 2026-11-27T04:00:04Z psi-completed bank 1800 aligned\n")
        .contains(
            "#7 2026-11-27T04:00:05Z crypto-round round 1: paillier-djn, 2048-bit key, 60"
                + " ciphertext vectors received\n")
        .contains("    received 60 ciphertext vectors, 1200 ciphertexts in all:\n")
        .contains("    encoding: fixed-point, 40 fractional bits, unpacked\n")
        .contains("  from bank lr/1/g0: 20 ciphertexts, sha256 " + "0".repeat(64) + "\n")
        .contains("    shard of bank: sha256 " + "ab".repeat(32) + "\n")
        .endsWith("#10 2026-11-27T04:00:10Z job-ended succeeded: done\n")
        .doesNotContain(REJECTED);
  }

  @Test
  void showOfAnUnknownJobNamesTheJobsThereAre() {
    CliHarness.Run run =
        CliHarness.run("audit", "show", "--dir", dir.toString(), "--job", "job-nope");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "job job-nope is not in the export "
                + export
                + "; jobs in it: ["
                + JOB
                + ", "
                + REJECTED
                + "]");
  }

  @Test
  void showWithAKeyRefusesATamperedExport() throws Exception {
    // A forged entry that still parses: the refusal reason of job REJECTED rewritten.
    byte[] forged =
        AuditEntry.ofJob(
                "party-decision",
                REJECTED,
                T0.plusSeconds(12),
                decision("tax-bureau", "accepted", "looks fine"))
            .canonical();
    store.inTransaction(
        "forge",
        c -> {
          try (var ps =
              c.prepareStatement("UPDATE translog_entries SET entry = ? WHERE idx = 12")) {
            ps.setBytes(1, forged);
            ps.executeUpdate();
          }
          return null;
        });
    log.exportTo(export);

    CliHarness.Run run =
        CliHarness.run(
            "audit",
            "show",
            "--export",
            export.toString(),
            "--job",
            REJECTED,
            "--public-key",
            work.resolve("audit/log.pub").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("NOT verified: entry 12 was modified")
        .endsWith("first bad index: 12\n")
        .doesNotContain("looks fine");
  }

  @Test
  void aProofFromTheCompliancePageIsCheckedOffline() throws Exception {
    Path proof = Files.writeString(dir.resolve("entry-7.json"), EntryProof.of(log, 7).toJson());
    String pub = work.resolve("audit/log.pub").toString();

    CliHarness.Run ok =
        CliHarness.run("audit", "proof", "--proof", proof.toString(), "--public-key", pub);

    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out())
        .startsWith("leaf: 7\ntree size: 14\n")
        .contains("crypto-round round 1: paillier-djn, 2048-bit key")
        .endsWith(
            "verified: entry 7 is in the log fedcredit/coordinator of size 14 (signed checkpoint)\n");

    String json = Files.readString(proof);
    Files.writeString(proof, json.replace("\"tree_size\" : 14", "\"tree_size\" : 13"));
    CliHarness.Run bad =
        CliHarness.run("audit", "proof", "--proof", proof.toString(), "--public-key", pub);

    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out())
        .contains("NOT verified: the proof states size 13 and root ")
        .contains("but the signed checkpoint has size 14");
  }
}
