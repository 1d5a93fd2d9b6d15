package org.fedcredit.modelzoo.psi;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * One party's secret exponent for one PSI run, and the two operations of DH-PSI on Curve25519
 * (docs/adr/004-psi-curve.md): hash an id to a point and multiply it by the secret, and multiply a
 * peer's point by the secret.
 *
 * <p>Hash to curve is try-and-increment: {@code u = SHA-512(domain ‖ counter ‖ id)[0..32)} with the
 * top bit cleared, for counter 0, 1, … until {@code u} is the u-coordinate of a point on Curve25519
 * itself (not its quadratic twist) that is not of small order. Restricting to the curve matters:
 * whether a u-coordinate lies on the curve or the twist is publicly checkable and is kept by scalar
 * multiplication, so points from both would leak one bit of each id to the peer. The X25519
 * function clamps the scalar to a multiple of the cofactor 8, so every output lies in the
 * prime-order subgroup.
 *
 * <p>Not thread-safe state: none; the secret is immutable and every method allocates its own
 * buffers, so one key is shared by the worker threads of a party.
 */
final class BlindingKey {

  /** Bytes of a blinded value (an X25519 u-coordinate). */
  static final int POINT_BYTES = X25519.POINT_SIZE;

  private static final int MONTGOMERY_A = 486662;

  /** Any scalar detects small order after clamping (see HashToCurve). */
  private static final byte[] PROBE_SCALAR = Arrays.copyOf(new byte[] {9}, X25519.SCALAR_SIZE);

  private final byte[] scalar;

  private BlindingKey(byte[] scalar) {
    this.scalar = scalar;
  }

  /** A fresh uniformly random secret (clamped by X25519 at use). */
  static BlindingKey random(SecureRandom random) {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    random.nextBytes(k);
    return new BlindingKey(k);
  }

  /** A key with a given secret, for test vectors. */
  static BlindingKey of(byte[] scalar) {
    if (scalar.length != X25519.SCALAR_SIZE) {
      throw new IllegalArgumentException("an X25519 scalar has 32 bytes, not " + scalar.length);
    }
    return new BlindingKey(scalar.clone());
  }

  /**
   * Hashes {@code ids.get(rows[i])} for {@code i} in {@code [from, to)} to the curve and multiplies
   * by the secret, writing 32 bytes per id into a new array.
   */
  byte[] hashAndBlind(byte[] domain, List<String> ids, int[] rows, int from, int to) {
    byte[] out = new byte[(to - from) * POINT_BYTES];
    HashToCurve h = new HashToCurve(domain);
    for (int i = from; i < to; i++) {
      int off = (i - from) * POINT_BYTES;
      h.hash(ids.get(rows[i]), scalar, out, off);
    }
    h.erase();
    return out;
  }

  /** The unblinded point of an id: what must never be sent (wire-capture tests look for it). */
  static byte[] hashToCurve(byte[] domain, String id) {
    byte[] out = new byte[POINT_BYTES];
    new HashToCurve(domain).hash(id, null, out, 0);
    return out;
  }

  /** Try-and-increment hashing with reusable buffers; one per thread. */
  private static final class HashToCurve {
    private final byte[] domain;
    private final SHA512Digest sha = new SHA512Digest();
    private final byte[] digest = new byte[64];
    private final int[] u = X25519Field.create();
    private final int[] w = X25519Field.create();
    private final int[] t = X25519Field.create();
    private final int[] one = X25519Field.create();

    HashToCurve(byte[] domain) {
      this.domain = domain;
      X25519Field.one(one);
    }

    /** Writes scalar·H(id), or H(id) itself if {@code scalar} is null, to out[off..off+32). */
    void hash(String idText, byte[] scalar, byte[] out, int off) {
      byte[] id = idText.getBytes(StandardCharsets.UTF_8);
      for (int counter = 0; counter < 256; counter++) {
        sha.update(domain, 0, domain.length);
        sha.update((byte) counter);
        sha.update(id, 0, id.length);
        sha.doFinal(digest, 0);
        digest[31] &= 0x7f;
        if (!onCurve(digest, u, w, t, one)) {
          continue;
        }
        // A u of small order (there are four on the curve) gives 0 under every clamped scalar:
        // those are multiples of the cofactor 8 below 8·ℓ. Such a u is skipped like an
        // off-curve one, so the choice does not depend on the secret.
        byte[] k = scalar == null ? PROBE_SCALAR : scalar;
        X25519.scalarMult(k, 0, digest, 0, out, off);
        if (isZero(out, off)) {
          continue;
        }
        if (scalar == null) {
          System.arraycopy(digest, 0, out, off, POINT_BYTES);
        }
        return;
      }
      // Each try lands on the curve with probability ~1/2: 256 failures have probability 2^-256.
      throw new IllegalStateException("hash to curve found no point");
    }

    void erase() {
      Arrays.fill(digest, (byte) 0);
    }
  }

  /**
   * Multiplies each 32-byte point of {@code in} by the secret.
   *
   * @throws PsiException if a point is of small order (the product is the identity): the peer did
   *     not follow the protocol
   */
  byte[] blind(byte[] in, String peerDescription) {
    if (in.length % POINT_BYTES != 0) {
      throw new PsiException(
          peerDescription + " sent " + in.length + " bytes, not a multiple of " + POINT_BYTES);
    }
    byte[] out = new byte[in.length];
    for (int off = 0; off < in.length; off += POINT_BYTES) {
      X25519.scalarMult(scalar, 0, in, off, out, off);
      if (isZero(out, off)) {
        throw new PsiException(
            peerDescription
                + " sent a point of small order at byte "
                + off
                + "; blinded ids are never such points, so the peer is faulty or malicious");
      }
    }
    return out;
  }

  /** Whether u (little-endian, top bit ignored) is on Curve25519: u³ + A·u² + u is a square. */
  private static boolean onCurve(byte[] uBytes, int[] u, int[] w, int[] t, int[] one) {
    X25519Field.decode(uBytes, 0, u);
    X25519Field.sqr(u, t); // u²
    X25519Field.mul(u, MONTGOMERY_A, w); // A·u
    X25519Field.add(t, w, t); // u² + A·u
    X25519Field.addOne(t); // u² + A·u + 1
    X25519Field.carry(t);
    X25519Field.mul(t, u, w); // u³ + A·u² + u
    // sqrtRatioVar(w, 1) tells whether w/1 is a square (0 counts as a square: u = 0, small order).
    return X25519Field.sqrtRatioVar(w, one, t);
  }

  private static boolean isZero(byte[] b, int off) {
    int acc = 0;
    for (int i = 0; i < POINT_BYTES; i++) {
      acc |= b[off + i];
    }
    return acc == 0;
  }
}
