package org.fedcredit.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.InvalidProofException;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;

/**
 * One audit entry with its RFC 6962 inclusion proof against a signed checkpoint: what the
 * compliance page serves at {@code /audit/entries/{index}/proof} and {@code fedcredit audit proof
 * --proof FILE --public-key FILE} checks offline. Format {@value #FORMAT}:
 *
 * <pre>{@code
 * {"format": "fedcredit-audit-proof/1",
 *  "index": 5,
 *  "leaf_hash": "<hex SHA-256(0x00 ‖ entry bytes)>",
 *  "entry": { … the entry, decoded … },
 *  "entry_data": "<base64 of the entry's canonical bytes, the leaf>",
 *  "tree_size": 12, "root": "<hex>",
 *  "inclusion_proof": ["<hex>", …],           // audit path, leaf side first
 *  "checkpoint": "<the signed checkpoint note>",
 *  "public_key": "<the log's verifier key; informational: verify with one obtained out of band>"}
 * }</pre>
 *
 * {@link #verify} trusts only the key it is given: the checkpoint must open with it, its size and
 * root must be the ones stated, the entry bytes must hash to the leaf hash, the decoded entry must
 * be those bytes, and the audit path must lead from the leaf to the signed root.
 */
public record EntryProof(
    long index,
    byte[] leafHash,
    byte[] entryData,
    long treeSize,
    byte[] root,
    List<byte[]> inclusionProof,
    String checkpoint,
    String publicKey) {

  public static final String FORMAT = "fedcredit-audit-proof/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.INDENT_OUTPUT, true);
  private static final HexFormat HEX = HexFormat.of();

  public EntryProof {
    leafHash = leafHash.clone();
    entryData = entryData.clone();
    root = root.clone();
    inclusionProof = inclusionProof.stream().map(byte[]::clone).toList();
  }

  /**
   * The proof of entry {@code index} against the log's latest checkpoint, signing a new one first
   * if the entry is newer than the latest.
   *
   * @throws IllegalArgumentException if the log has no entry {@code index}
   */
  public static EntryProof of(AuditLog log, long index) {
    long size = log.size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "the audit log has no entry "
              + index
              + (size == 0 ? "; it is empty" : "; it holds entries 0 to " + (size - 1)));
    }
    SignedCheckpoint c = log.latestCheckpoint().orElse(null);
    if (c == null || c.size() <= index) {
      c = log.checkpoint();
    }
    byte[] data = log.log().entry(index);
    return new EntryProof(
        index,
        MerkleTree.leafHash(data),
        data,
        c.size(),
        c.root(),
        log.log().inclusionProof(index, c.size()),
        c.note(),
        log.verifier().encode());
  }

  /** The entry, decoded. */
  public AuditEntry entry() {
    return AuditEntry.parse(entryData);
  }

  /** The JSON document described above. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("index", index);
    o.put("leaf_hash", HEX.formatHex(leafHash));
    try {
      o.set("entry", JSON.readTree(entryData));
    } catch (IOException e) {
      o.putNull("entry"); // not JSON: the leaf is still provable from entry_data
    }
    o.put("entry_data", Base64.getEncoder().encodeToString(entryData));
    o.put("tree_size", treeSize);
    o.put("root", HEX.formatHex(root));
    ArrayNode path = o.putArray("inclusion_proof");
    inclusionProof.forEach(h -> path.add(HEX.formatHex(h)));
    o.put("checkpoint", checkpoint);
    o.put("public_key", publicKey);
    try {
      return JSON.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a proof document.
   *
   * @throws AuditException if it is not a {@value #FORMAT} document (the message names the field)
   */
  public static EntryProof parse(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new AuditException(
          "not a JSON proof: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (n == null || !FORMAT.equals(n.path("format").asText())) {
      throw new AuditException("not an audit entry proof (format " + FORMAT + ")");
    }
    for (String f : List.of("index", "tree_size")) {
      if (!n.path(f).canConvertToLong()) {
        throw new AuditException("the proof's " + f + " is not a number");
      }
    }
    for (String f : List.of("leaf_hash", "entry_data", "root", "checkpoint")) {
      if (!n.path(f).isTextual()) {
        throw new AuditException("the proof has no " + f);
      }
    }
    if (!n.path("inclusion_proof").isArray()) {
      throw new AuditException("the proof has no inclusion_proof list");
    }
    try {
      List<byte[]> path = new ArrayList<>();
      for (JsonNode h : n.get("inclusion_proof")) {
        path.add(HEX.parseHex(h.asText()));
      }
      EntryProof p =
          new EntryProof(
              n.get("index").asLong(),
              HEX.parseHex(n.get("leaf_hash").asText()),
              Base64.getDecoder().decode(n.get("entry_data").asText()),
              n.get("tree_size").asLong(),
              HEX.parseHex(n.get("root").asText()),
              path,
              n.get("checkpoint").asText(),
              n.path("public_key").asText(""));
      if (n.hasNonNull("entry") && !n.get("entry").equals(JSON.readTree(p.entryData))) {
        throw new AuditException(
            "the decoded \"entry\" is not the entry whose bytes are proven (entry_data): the"
                + " document was edited");
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new AuditException("the proof holds a hash or entry_data that is not hex/base64");
    } catch (IOException e) {
      throw new AuditException("the proof's entry_data is not JSON: " + e.getMessage());
    }
  }

  /**
   * Checks the proof with {@code key} only; returns the checkpoint it is proven against.
   *
   * @throws AuditException naming the first check that fails
   */
  public SignedCheckpoint verify(NoteKeys.Verifier key) {
    SignedCheckpoint c;
    try {
      c = SignedCheckpoint.open(checkpoint, key);
    } catch (CheckpointException e) {
      throw new AuditException("the checkpoint does not verify: " + e.getMessage());
    }
    if (c.size() != treeSize || !MessageDigest.isEqual(c.root(), root)) {
      throw new AuditException(
          "the proof states size "
              + treeSize
              + " and root "
              + HEX.formatHex(root)
              + ", but the signed checkpoint has size "
              + c.size()
              + " and root "
              + MerkleTree.hex(c.root()));
    }
    byte[] actual = MerkleTree.leafHash(entryData);
    if (!MessageDigest.isEqual(actual, leafHash)) {
      throw new AuditException(
          "entry "
              + index
              + "'s bytes hash to "
              + HEX.formatHex(actual)
              + ", not to the stated leaf hash "
              + HEX.formatHex(leafHash)
              + ": the entry or its leaf hash was edited");
    }
    try {
      MerkleTree.verifyInclusion(index, c.size(), actual, inclusionProof, c.root());
    } catch (InvalidProofException e) {
      throw new AuditException(
          "entry " + index + " is not proven in the signed tree: " + e.getMessage());
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntryProof p && toJson().equals(p.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
