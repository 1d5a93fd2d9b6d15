package org.fedcredit.modelzoo.federation;

import com.google.protobuf.Message;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedcredit.protocols.paillier.v1.EncryptedVector;
import org.fedcredit.protocols.paillier.v1.PaillierPublicKey;

/**
 * A party's federation endpoint with a record of what crossed it, for the audit log (the
 * coordinator's in vertical LR, the key-holding bank's in SecureBoost): for every ciphertext vector
 * received, the sender, the tag, the key id, the count, the ciphertext size and the plaintext
 * encoding and packing <em>as they were on the wire</em>, and the SHA-256 of the ciphertexts; for
 * every message sent, its SHA-256; for every public key sent, its id and bit length. Records are
 * grouped into rounds by the tag's second element ({@code lr/3/…} is round 3); other tags (key
 * distribution, sizes) form the {@code setup} round.
 */
public final class RecordingFederation implements Federation {

  /**
   * Where a party's step report carries its {@link #auditRounds} for the coordinator to log (the
   * coordinator takes them out of the report before writing the step's event).
   */
  public static final String REPORT_KEY = "audit_rounds";

  private static final Pattern ROUND = Pattern.compile("^[^/]+/(\\d+)/.*");
  private static final HexFormat HEX = HexFormat.of();

  private final Federation inner;
  private final Map<String, List<Map<String, Object>>> received = new TreeMap<>();
  private final Map<String, List<Map<String, Object>>> sent = new TreeMap<>();

  public RecordingFederation(Federation inner) {
    this.inner = inner;
  }

  @Override
  public PartyId self() {
    return inner.self();
  }

  @Override
  public void send(PartyId to, String tag, Message payload) {
    inner.send(to, tag, payload);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("to", to.name());
    r.put("tag", tag);
    r.put("type", payload.getDescriptorForType().getName());
    if (payload instanceof PaillierPublicKey pk) {
      r.put("key_id", pk.getKeyId());
      r.put("key_bits", new java.math.BigInteger(1, pk.getN().toByteArray()).bitLength());
      r.put("exponent_bits", pk.getExponentBits());
    }
    r.put("sha256", sha256(payload.toByteArray()));
    record(sent, tag, r);
  }

  @Override
  public <T extends Message> T receive(PartyId from, String tag, Class<T> type) {
    T m = inner.receive(from, tag, type);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("from", from.name());
    r.put("tag", tag);
    r.put("type", m.getDescriptorForType().getName());
    EncryptedVector v = vectorIn(m);
    if (v != null) {
      r.put("key_id", v.getKeyId());
      r.put("ciphertexts", v.getCount());
      r.put("ciphertext_bytes", v.getCiphertextBytes());
      r.put("scale_bits", v.getEncoding().getScaleBits());
      r.put("slots", Math.max(1, v.getEncoding().getSlots()));
      if (v.getEncoding().getSlots() > 1) {
        r.put("slot_bits", v.getEncoding().getSlotBits());
      }
      r.put("sha256", sha256(v.getCiphertexts().toByteArray()));
    } else {
      r.put("sha256", sha256(m.toByteArray()));
    }
    record(received, tag, r);
    return m;
  }

  private synchronized void record(
      Map<String, List<Map<String, Object>>> into, String tag, Map<String, Object> r) {
    into.computeIfAbsent(round(tag), k -> new ArrayList<>()).add(r);
  }

  /** The message itself if it is a ciphertext vector, else its first ciphertext-vector field. */
  private static EncryptedVector vectorIn(Message m) {
    if (m instanceof EncryptedVector v) {
      return v;
    }
    for (Object f : m.getAllFields().values()) {
      if (f instanceof EncryptedVector v) {
        return v;
      }
    }
    return null;
  }

  /** {@code lr/3/…} → "3"; anything else → "setup". */
  public static String round(String tag) {
    Matcher m = ROUND.matcher(tag);
    return m.matches() ? m.group(1) : "setup";
  }

  /**
   * The rounds seen so far as the fields of {@code crypto-round} audit entries: {@code step},
   * {@code round}, {@code protocol}, {@code role}, {@code crypto} (the effective parameters),
   * {@code received} (messages whose tag ends with {@code aggregateSuffix} go to {@code
   * aggregate}), {@code sent} and {@code dropouts}; forgets them.
   */
  public List<Map<String, Object>> auditRounds(
      String step,
      String protocol,
      String role,
      Map<String, Object> crypto,
      java.util.Optional<String> aggregateSuffix) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Round round : drain()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", step);
      m.put("round", round.round());
      m.put("protocol", protocol);
      m.put("role", role);
      m.put("crypto", crypto);
      List<Map<String, Object>> received = new ArrayList<>();
      List<Map<String, Object>> aggregate = new ArrayList<>();
      for (Map<String, Object> msg : round.received()) {
        boolean agg =
            aggregateSuffix.isPresent()
                && String.valueOf(msg.get("tag")).endsWith(aggregateSuffix.get());
        (agg ? aggregate : received).add(msg);
      }
      m.put("received", received);
      m.put("aggregate", aggregate);
      m.put("sent", round.sent());
      m.put("dropouts", List.of());
      out.add(m);
    }
    return out;
  }

  /** The rounds seen so far, in order ("setup" first, then 0, 1, 2, …), and forgets them. */
  public synchronized List<Round> drain() {
    java.util.SortedSet<String> keys =
        new java.util.TreeSet<>(
            (a, b) -> {
              if (a.equals(b)) {
                return 0;
              }
              if (a.equals("setup")) {
                return -1;
              }
              if (b.equals("setup")) {
                return 1;
              }
              return Long.compare(Long.parseLong(a), Long.parseLong(b));
            });
    keys.addAll(received.keySet());
    keys.addAll(sent.keySet());
    List<Round> out = new ArrayList<>();
    for (String k : keys) {
      out.add(
          new Round(
              k,
              List.copyOf(received.getOrDefault(k, List.of())),
              List.copyOf(sent.getOrDefault(k, List.of()))));
    }
    received.clear();
    sent.clear();
    return out;
  }

  /** One round's messages as seen by the coordinator. */
  public record Round(
      String round, List<Map<String, Object>> received, List<Map<String, Object>> sent) {}

  public static String sha256(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
