package org.fedcredit.coordinator.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Audit entries in words, for people: one summary line per entry, indented detail lines, and a
 * per-job digest (name, algorithm, end state, rounds with their effective key size). Used by {@code
 * fedcredit audit show} and {@code audit verify}, and by the compliance page for its summaries.
 * Types this reader does not know are printed field by field, never dropped.
 */
public final class EntryText {
  private EntryText() {}

  /** A job as the log tells it. */
  public record Job(
      String id, String name, String algorithm, String state, List<AuditLog.Indexed> entries) {

    /** The {@code crypto-round} entries, in order. */
    public List<AuditEntry> rounds() {
      return entries.stream()
          .map(AuditLog.Indexed::entry)
          .filter(e -> e.type().equals("crypto-round"))
          .toList();
    }
  }

  /** Groups {@code entries} by job, in order of each job's first entry. */
  public static List<Job> jobs(List<AuditLog.Indexed> entries) {
    Map<String, List<AuditLog.Indexed>> byJob = new LinkedHashMap<>();
    for (AuditLog.Indexed e : entries) {
      e.entry().job().ifPresent(j -> byJob.computeIfAbsent(j, k -> new ArrayList<>()).add(e));
    }
    List<Job> out = new ArrayList<>();
    byJob.forEach((id, list) -> out.add(job(id, list)));
    return out;
  }

  /** The digest of one job's entries. */
  public static Job job(String id, List<AuditLog.Indexed> entries) {
    String name = "";
    String algorithm = "";
    String state = "no end recorded";
    for (AuditLog.Indexed i : entries) {
      AuditEntry e = i.entry();
      if (e.type().equals("job-submitted")) {
        name = e.text("name");
        algorithm = e.text("algorithm");
      } else if (e.type().equals("job-ended")) {
        state = e.text("state");
      }
    }
    return new Job(id, name, algorithm, state, List.copyOf(entries));
  }

  /**
   * How many {@code decision-served} entries among {@code entries} name a {@code model-published}
   * entry of {@code j} as their model's release.
   */
  public static long decisionsServed(Job j, List<AuditLog.Indexed> entries) {
    java.util.Set<String> releases = new java.util.HashSet<>();
    for (AuditLog.Indexed i : j.entries()) {
      if (i.entry().type().equals("model-published")) {
        releases.add(Long.toString(i.index()));
      }
    }
    return entries.stream()
        .map(AuditLog.Indexed::entry)
        .filter(e -> e.type().equals("decision-served"))
        .filter(e -> releases.contains(e.text("model_entry")))
        .count();
  }

  /** {@code job ID (vertical-lr, succeeded)}. */
  public static String heading(Job j) {
    String what = j.algorithm().isEmpty() ? "submission not in the log" : j.algorithm();
    return "job " + j.id() + " (" + what + ", " + j.state() + ")";
  }

  /**
   * The job's rounds, one line each, consecutive rounds that agree on scheme, key size and number
   * of vectors folded into one: {@code rounds 0–39: paillier-djn, 2048-bit key, 3 ciphertext
   * vectors received each}.
   */
  public static List<String> roundLines(Job j) {
    List<String> out = new ArrayList<>();
    List<AuditEntry> rounds = j.rounds();
    int i = 0;
    while (i < rounds.size()) {
      String what = roundFacts(rounds.get(i));
      int k = i + 1;
      while (k < rounds.size() && roundFacts(rounds.get(k)).equals(what)) {
        k++;
      }
      String first = rounds.get(i).text("round");
      out.add(
          k - i == 1
              ? "round " + first + ": " + what
              : "rounds "
                  + first
                  + "–"
                  + rounds.get(k - 1).text("round")
                  + ": "
                  + what.replace(" received", " received each"));
      i = k;
    }
    return out;
  }

  /** {@code paillier-djn, 2048-bit key, 60 ciphertext vectors received}. */
  public static String roundFacts(AuditEntry round) {
    Map<String, Object> crypto = round.map("crypto");
    String scheme = String.valueOf(crypto.getOrDefault("scheme", "unknown scheme"));
    StringBuilder s = new StringBuilder(scheme);
    if (scheme.equals("plaintext-insecure")) {
      s.append(" (NOT ENCRYPTED)");
    }
    s.append(", ").append(keyBits(round)).append(", ");
    long vectors = vectors(round);
    s.append(vectors).append(vectors == 1 ? " ciphertext vector" : " ciphertext vectors");
    s.append(" received");
    if (!round.text("reported_by").isEmpty()) {
      s.append(" (reported by ").append(round.text("reported_by")).append(", the key holder)");
    }
    return s.toString();
  }

  /** {@code 2048-bit key}, or {@code key size not recorded}. */
  public static String keyBits(AuditEntry round) {
    Object bits = round.map("crypto").get("key_bits");
    return bits == null ? "key size not recorded" : bits + "-bit key";
  }

  /** The received messages of a round that carried ciphertexts (updates and aggregates). */
  public static List<Map<String, Object>> receivedVectors(AuditEntry round) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String k : List.of("received", "aggregate")) {
      for (Map<String, Object> m : list(round, k)) {
        if (m.containsKey("ciphertexts")) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** Number of ciphertext vectors received in a round. */
  public static long vectors(AuditEntry round) {
    return receivedVectors(round).size();
  }

  /** Total number of ciphertexts in the vectors received in a round. */
  public static long ciphertexts(AuditEntry round) {
    long n = 0;
    for (Map<String, Object> m : receivedVectors(round)) {
      n += number(m.get("ciphertexts"));
    }
    return n;
  }

  /**
   * The plaintext encodings seen on the wire in a round, e.g. {@code fixed-point, 40 fractional
   * bits, unpacked} or {@code …, packed 4 slots of 256 bits}.
   */
  public static String encodings(AuditEntry round) {
    Set<String> seen = new LinkedHashSet<>();
    for (Map<String, Object> m : receivedVectors(round)) {
      long slots = m.get("slots") == null ? 1 : number(m.get("slots"));
      seen.add(
          "fixed-point, "
              + m.getOrDefault("scale_bits", "?")
              + " fractional bits, "
              + (slots > 1
                  ? "packed " + slots + " slots of " + m.get("slot_bits") + " bits"
                  : "unpacked"));
    }
    return seen.isEmpty() ? "no ciphertexts received" : String.join("; ", seen);
  }

  /** One line: {@code #12 crypto-round round 3: paillier-djn, 2048-bit key, …}. */
  public static String summary(long index, AuditEntry e) {
    String what =
        switch (e.type()) {
          case "job-submitted" ->
              "'"
                  + e.text("name")
                  + "', "
                  + e.text("algorithm")
                  + ", submitted by "
                  + e.text("submitter")
                  + "; parties "
                  + String.join(", ", strings(e.fields().get("parties")))
                  + ", labels at "
                  + e.text("label_party");
          case "party-decision" ->
              e.text("party") + " " + e.text("decision") + ": " + e.text("reason");
          case "psi-completed" -> {
            List<String> parts = new ArrayList<>();
            e.map("parties")
                .forEach(
                    (p, c) ->
                        parts.add(
                            p
                                + " "
                                + (c instanceof Map<?, ?> m ? m.get("aligned_rows") : "?")
                                + " aligned"));
            yield String.join(", ", parts);
          }
          case "crypto-round" -> "round " + e.text("round") + ": " + roundFacts(e);
          case "model-published" -> e.text("model");
          case "decision-served" ->
              "by "
                  + e.text("node")
                  + " with model "
                  + e.text("model_job")
                  + " version "
                  + e.text("model_version")
                  + (e.fields().containsKey("model_entry")
                      ? " (released in entry #" + e.text("model_entry") + ")"
                      : " (not released through this coordinator)")
                  + ", decision record SHA-256 "
                  + e.text("decision_sha256");
          case "job-ended" ->
              e.text("state") + (e.text("message").isEmpty() ? "" : ": " + e.text("message"));
          default -> e.fields().keySet().toString();
        };
    return "#" + index + " " + e.at() + " " + e.type() + " " + what;
  }

  /** The entry's facts, one per line, for reading without a browser. */
  public static List<String> details(AuditEntry e) {
    List<String> out = new ArrayList<>();
    switch (e.type()) {
      case "job-submitted" -> {
        out.add("spec sha256: " + e.text("spec_sha256"));
      }
      case "party-decision" -> {
        out.add("dataset: " + e.text("dataset"));
        out.add("columns: " + String.join(", ", strings(e.fields().get("columns"))));
        out.add("certificate sha256: " + e.text("certificate_sha256"));
      }
      case "psi-completed" ->
          e.map("parties")
              .forEach(
                  (p, c) -> {
                    Map<?, ?> m = c instanceof Map<?, ?> x ? x : Map.of();
                    out.add(
                        p
                            + ": "
                            + m.get("aligned_rows")
                            + " aligned of "
                            + m.get("input_rows")
                            + " input rows, "
                            + Objects.requireNonNullElse(m.get("rows_without_consent"), 0)
                            + " without consent");
                  });
      case "crypto-round" -> {
        Map<String, Object> c = e.map("crypto");
        out.add("step " + e.text("step") + ", " + e.text("protocol") + "; " + e.text("role"));
        out.add(
            "scheme "
                + c.get("scheme")
                + ", effective key "
                + c.get("key_bits")
                + " bits, exponent "
                + c.get("exponent_bits")
                + " bits, key id "
                + c.get("key_id")
                + ", kernel "
                + c.get("kernel")
                + ", "
                + c.get("library"));
        out.add("encoding: " + encodings(e));
        out.add(
            "received "
                + vectors(e)
                + " ciphertext vectors, "
                + ciphertexts(e)
                + " ciphertexts in all:");
        for (Map<String, Object> m : receivedVectors(e)) {
          out.add(
              "  from "
                  + m.get("from")
                  + " "
                  + m.get("tag")
                  + ": "
                  + m.get("ciphertexts")
                  + (number(m.get("ciphertexts")) == 1 ? " ciphertext" : " ciphertexts")
                  + ", sha256 "
                  + m.get("sha256"));
        }
        for (Map<String, Object> m : list(e, "sent")) {
          if (m.containsKey("key_bits")) {
            out.add(
                "sent public key "
                    + m.get("key_id")
                    + " to "
                    + m.get("to")
                    + ": "
                    + m.get("key_bits")
                    + "-bit modulus, sha256 "
                    + m.get("sha256"));
          }
        }
        out.add("sent " + list(e, "sent").size() + " messages in all");
      }
      case "model-published" -> {
        e.map("shard_sha256").forEach((p, h) -> out.add("shard of " + p + ": sha256 " + h));
      }
      case "job-ended" -> {}
      default -> e.fields().forEach((k, v) -> out.add(k + ": " + v));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(AuditEntry e, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (e.fields().get(key) instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  static long number(Object o) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(o).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
