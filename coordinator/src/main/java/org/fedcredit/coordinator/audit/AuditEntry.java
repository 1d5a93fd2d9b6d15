package org.fedcredit.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One entry of the coordinator's transparency log, in its canonical form: UTF-8 JSON, keys sorted
 * at every level, no insignificant whitespace, with a format version — so the same facts always
 * give the same bytes and the same leaf hash.
 *
 * <pre>{@code
 * {"at":"2026-11-27T04:00:00.123Z","format":"fedcredit-audit/1","job":"job-…","type":"crypto-round",…}
 * }</pre>
 *
 * The types and their fields are listed in {@code docs/protocols/transparency-log.md} ("Entries").
 * {@code job} is absent for entries that belong to no job.
 *
 * @param type what happened, e.g. {@code job-submitted}, {@code crypto-round}
 * @param job the job it belongs to, if any
 * @param at when the coordinator recorded it (UTC, millisecond precision)
 * @param fields the type's fields (JSON-able: strings, numbers, booleans, lists, maps)
 */
public record AuditEntry(
    String type, Optional<String> job, Instant at, Map<String, Object> fields) {

  /** The value of {@code format} in every entry of this version. */
  public static final String FORMAT = "fedcredit-audit/1";

  private static final Set<String> RESERVED = Set.of("format", "type", "job", "at");
  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.INDENT_OUTPUT, false);

  public AuditEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(job, "job");
    at = Instant.ofEpochMilli(at.toEpochMilli());
    for (String k : fields.keySet()) {
      if (RESERVED.contains(k)) {
        throw new IllegalArgumentException("field '" + k + "' is reserved in audit entries");
      }
    }
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** An entry of {@code job}. */
  public static AuditEntry ofJob(String type, String job, Instant at, Map<String, Object> fields) {
    return new AuditEntry(type, Optional.of(job), at, fields);
  }

  /** The canonical bytes stored in the log. */
  public byte[] canonical() {
    Map<String, Object> all = new TreeMap<>();
    all.putAll(CANONICAL.convertValue(fields, Map.class));
    all.put("format", FORMAT);
    all.put("type", type);
    job.ifPresent(j -> all.put("job", j));
    all.put("at", at.toString());
    try {
      return CANONICAL.writeValueAsBytes(all);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit entry " + type + " is not JSON-able", e);
    }
  }

  /**
   * Reads an entry from its stored bytes.
   *
   * @throws AuditException if the bytes are not an entry of a known format (the message says why)
   */
  @SuppressWarnings("unchecked")
  public static AuditEntry parse(byte[] data) {
    Map<String, Object> all;
    try {
      all = CANONICAL.readValue(data, LinkedHashMap.class);
    } catch (IOException e) {
      throw new AuditException(
          "not a JSON audit entry ("
              + e.getMessage().lines().findFirst().orElse("")
              + "): "
              + preview(data));
    }
    if (!FORMAT.equals(all.get("format"))) {
      throw new AuditException(
          "entry format is " + all.get("format") + ", this reader knows " + FORMAT);
    }
    Object type = all.remove("type");
    Object job = all.remove("job");
    Object at = all.remove("at");
    all.remove("format");
    if (!(type instanceof String t) || !(at instanceof String a)) {
      throw new AuditException("audit entry without a type or time: " + preview(data));
    }
    return new AuditEntry(t, Optional.ofNullable(job).map(String::valueOf), Instant.parse(a), all);
  }

  /** A field as a map (empty if absent). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String key) {
    return fields.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A field as text (empty if absent). */
  public String text(String key) {
    Object v = fields.get(key);
    return v == null ? "" : String.valueOf(v);
  }

  private static String preview(byte[] data) {
    String s = new String(data, 0, Math.min(data.length, 80), StandardCharsets.UTF_8);
    return data.length > 80 ? s + "…" : s;
  }
}
