package org.fedcredit.coordinator.translog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * An offline copy of the transparency log for {@link Verifier}: one JSON file, format {@value
 * #FORMAT}:
 *
 * <pre>{@code
 * {"format": "fedcredit-translog-export/1",
 *  "public_key": "<verifier key text, informational: verify with a key obtained out of band>",
 *  "checkpoints": ["<signed note>", ...],            // oldest first
 *  "entries": [{"index": 0, "data": "<base64>"}, ...], // as stored, in index order
 *  "leaf_hashes": ["<hex>", ...],                    // the log's level-0 tree nodes, in order
 *  "cosignatures": [{"witness": "bank", "certificate": "<base64 DER>",
 *                    "checkpoint": "<body>", "timestamp": 1795000000,
 *                    "signature": "<base64 DER>"}, ...]}  // optional: the witnesses' cosignatures
 * }</pre>
 *
 * The leaf hashes are the tree's own record of each leaf (table {@code translog_nodes}), kept apart
 * from the entry rows: once they hash up to a signed root they are authenticated, and an entry that
 * no longer matches its leaf hash is named by index. {@code cosignatures} was added later: files
 * without it read as having none.
 */
public record Export(
    String publicKey,
    List<String> checkpoints,
    List<Entry> entries,
    List<byte[]> leafHashes,
    List<Cosignature> cosignatures) {
  public static final String FORMAT = "fedcredit-translog-export/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** One stored entry row. */
  public record Entry(long index, byte[] data) {}

  public Export {
    checkpoints = List.copyOf(checkpoints);
    entries = List.copyOf(entries);
    leafHashes = List.copyOf(leafHashes);
    cosignatures = List.copyOf(cosignatures);
  }

  /** An export without cosignatures. */
  public Export(
      String publicKey, List<String> checkpoints, List<Entry> entries, List<byte[]> leafHashes) {
    this(publicKey, checkpoints, entries, leafHashes, List.of());
  }

  /** Everything the log holds, read as stored (no checks: finding faults is the verifier's job). */
  public static Export of(TransparencyLog log, NoteKeys.Verifier key) {
    return of(log, key, List.of());
  }

  /** As {@link #of(TransparencyLog, NoteKeys.Verifier)}, with the witnesses' cosignatures. */
  public static Export of(
      TransparencyLog log, NoteKeys.Verifier key, List<Cosignature> cosignatures) {
    List<Entry> entries = new ArrayList<>();
    log.forEachEntry(0, Long.MAX_VALUE, (i, data) -> entries.add(new Entry(i, data)));
    return new Export(
        key.encode(),
        log.checkpointNotes(),
        entries,
        log.leafHashes(0, Long.MAX_VALUE),
        cosignatures);
  }

  public void write(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeStringField("public_key", publicKey);
      g.writeArrayFieldStart("checkpoints");
      for (String c : checkpoints) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("entries");
      for (Entry e : entries) {
        g.writeStartObject();
        g.writeNumberField("index", e.index());
        g.writeStringField("data", Base64.getEncoder().encodeToString(e.data()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("leaf_hashes");
      for (byte[] h : leafHashes) {
        g.writeString(HEX.formatHex(h));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("cosignatures");
      for (Cosignature c : cosignatures) {
        g.writeStartObject();
        g.writeStringField("witness", c.witness());
        g.writeStringField("certificate", Base64.getEncoder().encodeToString(c.certificate()));
        g.writeStringField("checkpoint", c.checkpoint());
        g.writeNumberField("timestamp", c.timestamp());
        g.writeStringField("signature", Base64.getEncoder().encodeToString(c.signature()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /**
   * Reads an export file.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws IOException if it cannot be read, or is not a {@value #FORMAT} file (the message says
   *     which field is wrong)
   */
  public static Export read(Path file) throws IOException {
    JsonNode root;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      root = JSON.readTree(in);
    } catch (java.nio.file.NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(file + " is not a readable JSON export: " + e.getMessage(), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(file + " is not a transparency log export (format " + FORMAT + ")");
    }
    List<String> checkpoints = new ArrayList<>();
    root.path("checkpoints").forEach(n -> checkpoints.add(n.asText()));
    List<Entry> entries = new ArrayList<>();
    int position = 0;
    for (JsonNode n : root.path("entries")) {
      if (!n.path("index").canConvertToLong() || !n.path("data").isTextual()) {
        throw new IOException(
            file + ": entry at position " + position + " needs a numeric index and base64 data");
      }
      try {
        entries.add(
            new Entry(n.get("index").asLong(), Base64.getDecoder().decode(n.get("data").asText())));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": entry at position " + position + ": data is not base64");
      }
      position++;
    }
    List<byte[]> leafHashes = new ArrayList<>();
    for (JsonNode n : root.path("leaf_hashes")) {
      try {
        leafHashes.add(HEX.parseHex(n.asText()));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": leaf hash " + leafHashes.size() + " is not hex");
      }
    }
    List<Cosignature> cosignatures = new ArrayList<>();
    for (JsonNode n : root.path("cosignatures")) {
      int at = cosignatures.size();
      if (!n.path("witness").isTextual()
          || !n.path("checkpoint").isTextual()
          || !n.path("timestamp").canConvertToLong()) {
        throw new IOException(
            file + ": cosignature " + at + " needs a witness, a checkpoint and a timestamp");
      }
      try {
        cosignatures.add(
            new Cosignature(
                n.get("witness").asText(),
                Base64.getDecoder().decode(n.path("certificate").asText()),
                n.get("checkpoint").asText(),
                n.get("timestamp").asLong(),
                Base64.getDecoder().decode(n.path("signature").asText())));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            file + ": cosignature " + at + ": certificate or signature is not base64");
      }
    }
    return new Export(
        root.path("public_key").asText(), checkpoints, entries, leafHashes, cosignatures);
  }
}
