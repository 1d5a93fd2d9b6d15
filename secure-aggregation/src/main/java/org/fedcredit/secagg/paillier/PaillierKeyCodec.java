package org.fedcredit.secagg.paillier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serialises Paillier keys as protobuf ({@code fedcredit.paillier.v1}) and as human-readable JSON:
 *
 * <pre>{@code
 * {"scheme":"paillier-djn","key_id":"…","bits":2048,"exponent_bits":224,
 *  "n":"<hex>","h_s":"<hex>"}                  // public key
 * {"scheme":"paillier-djn","key_id":"…", …, "p":"<hex>","q":"<hex>"}  // private key adds p, q
 * }</pre>
 *
 * <p>Parsing validates everything (floor, ranges, that p·q = n, that the stated key id and size
 * match) and names the offending field.
 */
public final class PaillierKeyCodec {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HexFormat HEX = HexFormat.of();
  private static final String SCHEME = "paillier-djn";
  private static final Set<String> PUBLIC_FIELDS =
      Set.of("scheme", "key_id", "bits", "exponent_bits", "n", "h_s");
  private static final Set<String> PRIVATE_FIELDS =
      Set.of("scheme", "key_id", "bits", "exponent_bits", "n", "h_s", "p", "q");

  private PaillierKeyCodec() {}

  // ------------------------------------------------------------------ protobuf

  public static org.fedcredit.protocols.paillier.v1.PaillierPublicKey toProto(PaillierPublicKey k) {
    return org.fedcredit.protocols.paillier.v1.PaillierPublicKey.newBuilder()
        .setN(unsigned(k.n()))
        .setHS(unsigned(k.hs()))
        .setExponentBits(k.exponentBits())
        .setKeyId(k.keyId())
        .build();
  }

  public static org.fedcredit.protocols.paillier.v1.PaillierPrivateKey toProto(
      PaillierPrivateKey k) {
    return org.fedcredit.protocols.paillier.v1.PaillierPrivateKey.newBuilder()
        .setPublicKey(toProto(k.publicKey()))
        .setP(unsigned(k.p()))
        .setQ(unsigned(k.q()))
        .build();
  }

  public static PaillierPublicKey fromProto(
      org.fedcredit.protocols.paillier.v1.PaillierPublicKey p, KeySizePolicy policy) {
    PaillierPublicKey k =
        PaillierPublicKey.of(
            new BigInteger(1, p.getN().toByteArray()),
            new BigInteger(1, p.getHS().toByteArray()),
            p.getExponentBits(),
            policy);
    if (!p.getKeyId().isEmpty() && !p.getKeyId().equals(k.keyId())) {
      throw new PaillierException(
          "public key states id " + p.getKeyId() + " but its modulus hashes to " + k.keyId());
    }
    return k;
  }

  public static PaillierPrivateKey fromProto(
      org.fedcredit.protocols.paillier.v1.PaillierPrivateKey p, KeySizePolicy policy) {
    PaillierPublicKey pk = fromProto(p.getPublicKey(), policy);
    return PaillierPrivateKey.of(
        pk, new BigInteger(1, p.getP().toByteArray()), new BigInteger(1, p.getQ().toByteArray()));
  }

  public static PaillierPublicKey publicKeyFromBytes(byte[] bytes, KeySizePolicy policy) {
    try {
      return fromProto(
          org.fedcredit.protocols.paillier.v1.PaillierPublicKey.parseFrom(bytes), policy);
    } catch (InvalidProtocolBufferException e) {
      throw new PaillierException("not a serialised Paillier public key: " + e.getMessage(), e);
    }
  }

  private static ByteString unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      return ByteString.copyFrom(b, 1, b.length - 1);
    }
    return ByteString.copyFrom(b);
  }

  // ------------------------------------------------------------------ JSON

  public static String toJson(PaillierPublicKey k) {
    return write(publicNode(k));
  }

  public static String toJson(PaillierPrivateKey k) {
    ObjectNode node = publicNode(k.publicKey());
    node.put("p", HEX.formatHex(unsigned(k.p()).toByteArray()));
    node.put("q", HEX.formatHex(unsigned(k.q()).toByteArray()));
    return write(node);
  }

  private static ObjectNode publicNode(PaillierPublicKey k) {
    ObjectNode node = JSON.createObjectNode();
    node.put("scheme", SCHEME);
    node.put("key_id", k.keyId());
    node.put("bits", k.bits());
    node.put("exponent_bits", k.exponentBits());
    node.put("n", HEX.formatHex(unsigned(k.n()).toByteArray()));
    node.put("h_s", HEX.formatHex(unsigned(k.hs()).toByteArray()));
    return node;
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses a public key (a private-key document is accepted too; its primes are ignored).
   *
   * @throws PaillierException naming the field that is missing, unknown or malformed
   */
  public static PaillierPublicKey publicKeyFromJson(String json, KeySizePolicy policy) {
    return parsePublic(read(json, PRIVATE_FIELDS), policy);
  }

  /** Parses a private key document. */
  public static PaillierPrivateKey privateKeyFromJson(String json, KeySizePolicy policy) {
    JsonNode node = read(json, PRIVATE_FIELDS);
    PaillierPublicKey pk = parsePublic(node, policy);
    return PaillierPrivateKey.of(pk, hexField(node, "p"), hexField(node, "q"));
  }

  private static JsonNode read(String json, Set<String> allowed) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PaillierException(
          "Paillier key is not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new PaillierException("Paillier key JSON must be an object");
    }
    Set<String> unknown = new TreeSet<>();
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                unknown.add(f);
              }
            });
    if (!unknown.isEmpty()) {
      throw new PaillierException(
          "unknown field(s) "
              + unknown
              + " in Paillier key JSON; expected "
              + new TreeSet<>(allowed));
    }
    String scheme = node.path("scheme").asText("");
    if (!SCHEME.equals(scheme)) {
      throw new PaillierException(
          "field \"scheme\" is \"" + scheme + "\"; FedCredit keys use \"" + SCHEME + "\"");
    }
    return node;
  }

  private static PaillierPublicKey parsePublic(JsonNode node, KeySizePolicy policy) {
    JsonNode eb = node.get("exponent_bits");
    if (eb == null || !eb.canConvertToInt()) {
      throw new PaillierException("field \"exponent_bits\" is missing or not an integer");
    }
    PaillierPublicKey k =
        PaillierPublicKey.of(hexField(node, "n"), hexField(node, "h_s"), eb.asInt(), policy);
    if (node.has("bits") && node.get("bits").asInt() != k.bits()) {
      throw new PaillierException(
          "field \"bits\" says " + node.get("bits").asInt() + " but n has " + k.bits() + " bits");
    }
    if (node.has("key_id") && !node.get("key_id").asText().equals(k.keyId())) {
      throw new PaillierException(
          "field \"key_id\" is " + node.get("key_id").asText() + " but n hashes to " + k.keyId());
    }
    return k;
  }

  private static BigInteger hexField(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new PaillierException("field \"" + field + "\" is missing or not a hex string");
    }
    try {
      return new BigInteger(1, HEX.parseHex(v.asText()));
    } catch (IllegalArgumentException e) {
      throw new PaillierException("field \"" + field + "\" is not valid hex: " + e.getMessage());
    }
  }
}
