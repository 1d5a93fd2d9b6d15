package org.fedcredit.coordinator.translog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A log checkpoint in the C2SP form (https://c2sp.org/tlog-checkpoint), signed as a C2SP signed
 * note (https://c2sp.org/signed-note) with Ed25519 (BouncyCastle).
 *
 * <p>Body: {@code <origin>\n<size>\n<base64 root>\n}; then a blank line and one signature line per
 * signer, {@code — <key name> <base64(4-byte key hash ‖ 64-byte Ed25519 signature)>\n}, the
 * signature being over the body bytes. {@link #open} accepts further body lines (checkpoint
 * extensions) and signatures by other keys, and requires one valid signature by the given key.
 *
 * @param origin the log's origin line, e.g. {@code fedcredit.example/coordinator/log}
 * @param size number of entries
 * @param root RFC 6962 root of those entries, 32 bytes
 * @param note the whole signed note text
 */
public record SignedCheckpoint(String origin, long size, byte[] root, String note) {
  private static final String SIG_PREFIX = "— ";

  public SignedCheckpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(note, "note");
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  /** The checkpoint body for these values. */
  public static String body(String origin, long size, byte[] root) {
    if (origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("the origin must be one non-empty line");
    }
    if (size < 0 || root.length != MerkleTree.HASH_BYTES) {
      throw new IllegalArgumentException("a checkpoint needs a size >= 0 and a 32-byte root");
    }
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** Signs the checkpoint (origin, size, root) with {@code signer}. */
  public static SignedCheckpoint sign(
      String origin, long size, byte[] root, NoteKeys.Signer signer) {
    String body = body(origin, size, root);
    byte[] sig = signer.sign(body.getBytes(StandardCharsets.UTF_8));
    byte[] blob =
        ByteBuffer.allocate(4 + sig.length).putInt(signer.verifier().keyHash()).put(sig).array();
    String note =
        body
            + "\n"
            + SIG_PREFIX
            + signer.name()
            + " "
            + Base64.getEncoder().encodeToString(blob)
            + "\n";
    return new SignedCheckpoint(origin, size, root, note);
  }

  /**
   * Parses {@code note} and checks that {@code key} signed it.
   *
   * @throws CheckpointException saying what is malformed or which signature is missing or bad
   */
  public static SignedCheckpoint open(String note, NoteKeys.Verifier key)
      throws CheckpointException {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new CheckpointException(
          "the signed checkpoint has no blank line between its body and its signatures");
    }
    String body = note.substring(0, split + 1);
    String sigs = note.substring(split + 2);
    if (sigs.isEmpty() || !sigs.endsWith("\n")) {
      throw new CheckpointException(
          sigs.isEmpty()
              ? "the signed checkpoint has no signature lines"
              : "the signed checkpoint's last signature line does not end with a newline; it"
                  + " was truncated");
    }
    List<String> others = new ArrayList<>();
    boolean found = false;
    int lineNo = 0;
    for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
      lineNo++;
      if (!line.startsWith(SIG_PREFIX)) {
        throw new CheckpointException(
            "signature line " + lineNo + " does not start with \"— \" (U+2014, space)");
      }
      String[] parts = line.substring(SIG_PREFIX.length()).split(" ", -1);
      if (parts.length != 2 || parts[0].isEmpty()) {
        throw new CheckpointException(
            "signature line " + lineNo + " is not \"— <key name> <base64 signature>\"");
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(
            "signature line " + lineNo + " (" + parts[0] + "): the signature is not valid base64");
      }
      if (blob.length < 5) {
        throw new CheckpointException(
            "signature line " + lineNo + " (" + parts[0] + ") is too short to hold a key hash");
      }
      int hash = ByteBuffer.wrap(blob).getInt();
      if (!parts[0].equals(key.name()) || hash != key.keyHash()) {
        others.add(parts[0] + "+" + NoteKeys.hex(hash));
        continue;
      }
      if (blob.length != 4 + 64) {
        throw new CheckpointException(
            "the signature by "
                + key.name()
                + " is "
                + (blob.length - 4)
                + " bytes; an Ed25519 signature is 64 bytes; it was truncated or padded");
      }
      byte[] sig = new byte[64];
      System.arraycopy(blob, 4, sig, 0, 64);
      if (!key.verify(body.getBytes(StandardCharsets.UTF_8), sig)) {
        throw new CheckpointException(
            "the signature by "
                + key.name()
                + "+"
                + NoteKeys.hex(key.keyHash())
                + " does not verify: the checkpoint body was modified after signing, or another"
                + " key with the same name signed it");
      }
      found = true;
    }
    if (!found) {
      throw new CheckpointException(
          "the checkpoint is not signed by "
              + key.name()
              + "+"
              + NoteKeys.hex(key.keyHash())
              + (others.isEmpty() ? "" : "; it is signed by " + String.join(", ", others)));
    }
    return parseBody(body, note);
  }

  /** The signed body: origin, size, root and any extension lines, each ending in a newline. */
  public String body() {
    return note.substring(0, note.lastIndexOf("\n\n") + 1);
  }

  static SignedCheckpoint parseBody(String body, String note) throws CheckpointException {
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new CheckpointException(
          "the checkpoint body has "
              + lines.length
              + " lines; it needs origin, size and root hash lines");
    }
    String origin = lines[0];
    if (origin.isEmpty()) {
      throw new CheckpointException("the checkpoint's origin line is empty");
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new CheckpointException(
          "the checkpoint's size line \""
              + lines[1]
              + "\" is not a decimal number without leading zeros");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new CheckpointException("the checkpoint's size " + lines[1] + " is too large");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("the checkpoint's root hash line is not valid base64");
    }
    if (root.length != MerkleTree.HASH_BYTES) {
      throw new CheckpointException(
          "the checkpoint's root hash is " + root.length + " bytes; a SHA-256 root is 32");
    }
    return new SignedCheckpoint(origin, size, root, note);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedCheckpoint c && note.equals(c.note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "SignedCheckpoint[" + origin + ", size " + size + ", root " + MerkleTree.hex(root) + "]";
  }
}
