package org.fedcredit.secagg.paillier;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Ciphertexts under one key in their wire form: canonical residues mod {@code n²}, serialised as
 * fixed-width unsigned big-endian bytes in a protobuf {@code EncryptedVector} with the key id.
 *
 * <p>{@link #fromProto} validates everything a peer could get wrong or forge: the key id, the
 * width, the byte count, and that every ciphertext lies in {@code [1, n²)}; errors name the index.
 */
public final class EncryptedVector {

  private final PaillierPublicKey key;
  private final BigInteger[] ciphertexts;
  private final EncodingDescriptor encoding;

  private EncryptedVector(
      PaillierPublicKey key, BigInteger[] ciphertexts, EncodingDescriptor encoding) {
    this.key = key;
    this.ciphertexts = ciphertexts;
    this.encoding = encoding;
  }

  /** Wraps wire-form ciphertexts, checking each is in range. */
  public static EncryptedVector of(
      PaillierPublicKey key, BigInteger[] ciphertexts, EncodingDescriptor encoding) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(encoding, "encoding");
    BigInteger[] copy = ciphertexts.clone();
    for (int i = 0; i < copy.length; i++) {
      checkRange(key, copy[i], i, copy.length);
    }
    return new EncryptedVector(key, copy, encoding);
  }

  static void checkRange(PaillierPublicKey key, BigInteger c, int index, int count) {
    if (c == null || c.signum() <= 0 || c.compareTo(key.nSquared()) >= 0) {
      throw new PaillierException(
          "ciphertext "
              + index
              + " of "
              + count
              + " is out of range [1, n²) for key "
              + key.keyId()
              + "; the message is corrupt or was made for another key");
    }
  }

  public PaillierPublicKey key() {
    return key;
  }

  public int size() {
    return ciphertexts.length;
  }

  /** The i-th ciphertext as a canonical residue mod n². */
  public BigInteger get(int i) {
    return ciphertexts[i];
  }

  public EncodingDescriptor encoding() {
    return encoding;
  }

  /**
   * The index of the first ciphertext that is not randomised, i.e. of the form {@code 1 + m·n} and
   * so decryptable with the public key alone ({@code (c − 1) mod n = 0}); empty if none.
   */
  public OptionalInt firstUnrandomised() {
    BigInteger n = key.n();
    for (int i = 0; i < ciphertexts.length; i++) {
      if (ciphertexts[i].subtract(BigInteger.ONE).mod(n).signum() == 0) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Serialises to the protobuf wire form (fixed-width big-endian ciphertexts). */
  public org.fedcredit.protocols.paillier.v1.EncryptedVector toProto() {
    int width = key.ciphertextBytes();
    byte[] data = new byte[width * ciphertexts.length];
    for (int i = 0; i < ciphertexts.length; i++) {
      writeFixed(ciphertexts[i], data, i * width, width);
    }
    return org.fedcredit.protocols.paillier.v1.EncryptedVector.newBuilder()
        .setKeyId(key.keyId())
        .setCiphertextBytes(width)
        .setCount(ciphertexts.length)
        .setCiphertexts(ByteString.copyFrom(data))
        .setEncoding(encoding.toProto())
        .build();
  }

  /**
   * Parses and validates a wire vector against the key the receiver expects.
   *
   * @throws KeyMismatchException if it names another key
   * @throws PaillierException if the width, length or any ciphertext is wrong (index named)
   */
  public static EncryptedVector fromProto(
      org.fedcredit.protocols.paillier.v1.EncryptedVector proto, PaillierPublicKey expected) {
    if (!expected.keyId().equals(proto.getKeyId())) {
      throw new KeyMismatchException(expected.keyId(), proto.getKeyId());
    }
    int width = expected.ciphertextBytes();
    if (proto.getCiphertextBytes() != width) {
      throw new PaillierException(
          "encrypted vector uses "
              + proto.getCiphertextBytes()
              + "-byte ciphertexts but key "
              + expected.keyId()
              + " needs "
              + width);
    }
    long expectedBytes = (long) width * proto.getCount();
    if (proto.getCiphertexts().size() != expectedBytes) {
      throw new PaillierException(
          "encrypted vector announces "
              + proto.getCount()
              + " ciphertexts ("
              + expectedBytes
              + " bytes) but carries "
              + proto.getCiphertexts().size()
              + " bytes");
    }
    byte[] data = proto.getCiphertexts().toByteArray();
    BigInteger[] cs = new BigInteger[proto.getCount()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = new BigInteger(1, Arrays.copyOfRange(data, i * width, (i + 1) * width));
      checkRange(expected, cs[i], i, cs.length);
    }
    EncodingDescriptor enc =
        Optional.of(proto)
            .filter(org.fedcredit.protocols.paillier.v1.EncryptedVector::hasEncoding)
            .map(p -> EncodingDescriptor.fromProto(p.getEncoding()))
            .orElse(EncodingDescriptor.fixedPoint(0, cs.length));
    return new EncryptedVector(expected, cs, enc);
  }

  static void writeFixed(BigInteger v, byte[] out, int offset, int width) {
    byte[] b = v.toByteArray();
    int start = b.length > width ? b.length - width : 0; // drop the sign byte
    int len = b.length - start;
    System.arraycopy(b, start, out, offset + width - len, len);
  }
}
