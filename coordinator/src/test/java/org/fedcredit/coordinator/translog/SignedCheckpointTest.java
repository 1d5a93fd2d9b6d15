package org.fedcredit.coordinator.translog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignedCheckpointTest {
  /** The example key pair and note of Go's golang.org/x/mod/sumdb/note documentation and tests. */
  static final String GO_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

  static final String GO_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String GO_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String GO_SIG =
      "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  static final String ORIGIN = "fedcredit.test/coordinator/log";
  static final NoteKeys.Signer KEY = new NoteKeys.Signer(ORIGIN, seed(1));
  static final byte[] ROOT = MerkleTree.leafHash("root".getBytes(StandardCharsets.UTF_8));

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  @Test
  void keysAndSignaturesMatchGosSignedNoteExample() throws Exception {
    NoteKeys.Signer signer = NoteKeys.parseSigner(GO_SKEY);
    NoteKeys.Verifier verifier = NoteKeys.parseVerifier(GO_VKEY);

    assertThat(signer.verifier().encode()).isEqualTo(GO_VKEY);
    assertThat(signer.encode()).isEqualTo(GO_SKEY);
    assertThat(NoteKeys.keyHash("PeterNeumann", verifier.publicKey())).isEqualTo(0xc74f20a3);
    // Ed25519 is deterministic: our signature line over Go's text is Go's.
    byte[] sig = signer.sign(GO_TEXT.getBytes(StandardCharsets.UTF_8));
    byte[] blob = java.nio.ByteBuffer.allocate(68).putInt(0xc74f20a3).put(sig).array();
    assertThat("— PeterNeumann " + java.util.Base64.getEncoder().encodeToString(blob) + "\n")
        .isEqualTo(GO_SIG);
  }

  @Test
  void aCheckpointSignsTheC2spBodyAndOpensToTheSameValues() throws Exception {
    SignedCheckpoint c = SignedCheckpoint.sign(ORIGIN, 42, ROOT, KEY);

    assertThat(c.note())
        .startsWith(
            ORIGIN
                + "\n42\n"
                + java.util.Base64.getEncoder().encodeToString(ROOT)
                + "\n\n— "
                + ORIGIN
                + " ")
        .endsWith("\n");
    SignedCheckpoint opened = SignedCheckpoint.open(c.note(), KEY.verifier());
    assertThat(opened.origin()).isEqualTo(ORIGIN);
    assertThat(opened.size()).isEqualTo(42);
    assertThat(opened.root()).isEqualTo(ROOT);
  }

  @Test
  void aTamperedBodyIsRejected() {
    String note = SignedCheckpoint.sign(ORIGIN, 42, ROOT, KEY).note();
    String tampered = note.replace("\n42\n", "\n43\n");

    assertThatThrownBy(() -> SignedCheckpoint.open(tampered, KEY.verifier()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith("the signature by " + ORIGIN + "+")
        .hasMessageEndingWith(
            " does not verify: the checkpoint body was modified after signing, or another key"
                + " with the same name signed it");
  }

  @Test
  void aWrongKeyIsRejectedNamingWhoSigned() {
    String note = SignedCheckpoint.sign(ORIGIN, 42, ROOT, KEY).note();
    NoteKeys.Verifier other = new NoteKeys.Signer("someone.else", seed(2)).verifier();
    NoteKeys.Verifier sameNameOtherKey = new NoteKeys.Signer(ORIGIN, seed(3)).verifier();

    assertThatThrownBy(() -> SignedCheckpoint.open(note, other))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            "the checkpoint is not signed by someone.else+"
                + NoteKeys.hex(other.keyHash())
                + "; it is signed by "
                + ORIGIN
                + "+"
                + NoteKeys.hex(KEY.verifier().keyHash()));
    assertThatThrownBy(() -> SignedCheckpoint.open(note, sameNameOtherKey))
        .hasMessageStartingWith("the checkpoint is not signed by " + ORIGIN + "+");
  }

  @Test
  void aTruncatedSignatureIsRejected() {
    String note = SignedCheckpoint.sign(ORIGIN, 42, ROOT, KEY).note();
    String line = note.substring(note.indexOf("— "), note.length() - 1);
    String b64 = line.substring(line.lastIndexOf(' ') + 1);
    byte[] blob = java.util.Base64.getDecoder().decode(b64);
    String shorter =
        note.replace(
            b64, java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(blob, 60)));

    assertThatThrownBy(() -> SignedCheckpoint.open(shorter, KEY.verifier()))
        .hasMessage(
            "the signature by "
                + ORIGIN
                + " is 56 bytes; an Ed25519 signature is 64 bytes; it was truncated or padded");
    assertThatThrownBy(
            () -> SignedCheckpoint.open(note.substring(0, note.length() - 10), KEY.verifier()))
        .hasMessage(
            "the signed checkpoint's last signature line does not end with a newline; it was"
                + " truncated");
    assertThatThrownBy(
            () ->
                SignedCheckpoint.open(note.substring(0, note.indexOf("\n\n") + 2), KEY.verifier()))
        .hasMessage("the signed checkpoint has no signature lines");
  }

  @Test
  void malformedBodiesAndKeysAreRejectedPrecisely() throws Exception {
    NoteKeys.Verifier v = KEY.verifier();
    assertThatThrownBy(() -> SignedCheckpoint.open(signed(ORIGIN + "\n042\nAAAA\n"), v))
        .hasMessage(
            "the checkpoint's size line \"042\" is not a decimal number without leading zeros");
    assertThatThrownBy(() -> SignedCheckpoint.open(signed(ORIGIN + "\n1\nAAAA\n"), v))
        .hasMessage("the checkpoint's root hash is 3 bytes; a SHA-256 root is 32");
    assertThatThrownBy(() -> SignedCheckpoint.open(signed(ORIGIN + "\n1\n"), v))
        .hasMessage("the checkpoint body has 2 lines; it needs origin, size and root hash lines");
    assertThatThrownBy(() -> SignedCheckpoint.open("no blank line\n— x AAAA\n", v))
        .hasMessage("the signed checkpoint has no blank line between its body and its signatures");
    assertThatThrownBy(() -> NoteKeys.parseVerifier(GO_VKEY.replace("c74f20a3", "c74f20a4")))
        .hasMessage(
            "verifier key of PeterNeumann says key hash c74f20a4 but its name and key hash to"
                + " c74f20a3");
    assertThat(
            SignedCheckpoint.open(signed(ORIGIN + "\n1\n" + b64(ROOT) + "\nextension\n"), v).size())
        .isEqualTo(1);
  }

  private static String b64(byte[] b) {
    return java.util.Base64.getEncoder().encodeToString(b);
  }

  /** A correctly signed note over an arbitrary body. */
  private static String signed(String body) {
    byte[] sig = KEY.sign(body.getBytes(StandardCharsets.UTF_8));
    byte[] blob =
        java.nio.ByteBuffer.allocate(68).putInt(KEY.verifier().keyHash()).put(sig).array();
    return body + "\n— " + KEY.name() + " " + b64(blob) + "\n";
  }
}
