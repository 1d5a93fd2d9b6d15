package org.fedcredit.coordinator.translog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 keys of the C2SP signed-note format (https://c2sp.org/signed-note), through BouncyCastle.
 *
 * <p>A key has a name (no spaces, newlines or '+') and a 4-byte key hash, the first 4 bytes of
 * {@code SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)}. Text forms, as in Go's {@code
 * golang.org/x/mod/sumdb/note}: verifier key {@code <name>+<hash hex>+<base64(0x01 ‖ public key)>},
 * signer key {@code PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 ‖ 32-byte seed)>}.
 */
public final class NoteKeys {
  static final byte ED25519 = 0x01;

  private NoteKeys() {}

  /** A public key that can check note signatures. */
  public record Verifier(String name, int keyHash, byte[] publicKey) {
    public Verifier {
      checkName(name);
      if (publicKey.length != 32) {
        throw new IllegalArgumentException(
            "an Ed25519 public key is 32 bytes, not " + publicKey.length);
      }
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    /** The verifier key text, {@code <name>+<hash>+<base64>}. */
    public String encode() {
      return name + "+" + hex(keyHash) + "+" + Base64.getEncoder().encodeToString(typed(publicKey));
    }

    boolean verify(byte[] message, byte[] signature) {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      v.update(message, 0, message.length);
      return v.verifySignature(signature);
    }
  }

  /** A private key that signs notes. */
  public record Signer(String name, byte[] seed) {
    public Signer {
      checkName(name);
      if (seed.length != 32) {
        throw new IllegalArgumentException(
            "an Ed25519 private key is 32 bytes, not " + seed.length);
      }
      seed = seed.clone();
    }

    @Override
    public byte[] seed() {
      return seed.clone();
    }

    public Verifier verifier() {
      byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      return new Verifier(name, keyHash(name, pub), pub);
    }

    /** The signer key text, {@code PRIVATE+KEY+<name>+<hash>+<base64>}. */
    public String encode() {
      return "PRIVATE+KEY+"
          + name
          + "+"
          + hex(verifier().keyHash())
          + "+"
          + Base64.getEncoder().encodeToString(typed(seed));
    }

    byte[] sign(byte[] message) {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
      s.update(message, 0, message.length);
      return s.generateSignature();
    }

    @Override
    public String toString() {
      return "Signer[name=" + name + ", seed=***]";
    }
  }

  /** A fresh random signer key named {@code name}. */
  public static Signer generate(String name) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new Signer(name, seed);
  }

  /** Parses a verifier key text; checks the type byte, the length and the key hash. */
  public static Verifier parseVerifier(String text) throws CheckpointException {
    String t = text.strip();
    String[] parts = t.split("\\+", 3);
    if (parts.length != 3) {
      throw new CheckpointException(
          "verifier key \"" + t + "\" is not of the form <name>+<8 hex digits>+<base64 key>");
    }
    byte[] key = typedKey(parts[2], "verifier key of " + parts[0]);
    int hash = parseHash(parts[1], parts[0]);
    Verifier v;
    try {
      v = new Verifier(parts[0], hash, key);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("verifier key of " + parts[0] + ": " + e.getMessage());
    }
    int expected = keyHash(parts[0], key);
    if (expected != hash) {
      throw new CheckpointException(
          "verifier key of "
              + parts[0]
              + " says key hash "
              + hex(hash)
              + " but its name and key hash to "
              + hex(expected));
    }
    return v;
  }

  /** Parses a signer key text {@code PRIVATE+KEY+<name>+<hash>+<base64>}. */
  public static Signer parseSigner(String text) throws CheckpointException {
    String t = text.strip();
    String prefix = "PRIVATE+KEY+";
    String[] parts = t.startsWith(prefix) ? t.substring(prefix.length()).split("\\+", 3) : null;
    if (parts == null || parts.length != 3) {
      throw new CheckpointException(
          "signer key is not of the form PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>");
    }
    byte[] seed = typedKey(parts[2], "signer key of " + parts[0]);
    Signer s;
    try {
      s = new Signer(parts[0], seed);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("signer key of " + parts[0] + ": " + e.getMessage());
    }
    if (s.verifier().keyHash() != parseHash(parts[1], parts[0])) {
      throw new CheckpointException(
          "signer key of " + parts[0] + " has key hash " + parts[1] + ", not that of its key");
    }
    return s;
  }

  /** First 4 bytes, big-endian, of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). */
  public static int keyHash(String name, byte[] publicKey) {
    MessageDigest sha = MerkleTree.sha256();
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    sha.update(ED25519);
    sha.update(publicKey);
    byte[] d = sha.digest();
    return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
  }

  static String hex(int keyHash) {
    return String.format("%08x", keyHash);
  }

  static void checkName(String name) {
    if (name.isEmpty()
        || name.chars().anyMatch(ch -> ch == '+' || Character.isWhitespace(ch) || ch < 0x20)) {
      throw new IllegalArgumentException(
          "key name \"" + name + "\" must be non-empty, without spaces, newlines or '+'");
    }
  }

  private static byte[] typed(byte[] key) {
    byte[] out = new byte[key.length + 1];
    out[0] = ED25519;
    System.arraycopy(key, 0, out, 1, key.length);
    return out;
  }

  private static byte[] typedKey(String base64, String what) throws CheckpointException {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(what + " is not valid base64");
    }
    if (raw.length == 0 || raw[0] != ED25519) {
      throw new CheckpointException(
          what
              + " is not an Ed25519 key (type byte "
              + (raw.length == 0 ? "missing" : raw[0])
              + ")");
    }
    return Arrays.copyOfRange(raw, 1, raw.length);
  }

  private static int parseHash(String hex, String name) throws CheckpointException {
    if (!hex.matches("[0-9a-f]{8}")) {
      throw new CheckpointException(
          "key hash \"" + hex + "\" of " + name + " is not 8 lower-case hex digits");
    }
    return Integer.parseUnsignedInt(hex, 16);
  }
}
