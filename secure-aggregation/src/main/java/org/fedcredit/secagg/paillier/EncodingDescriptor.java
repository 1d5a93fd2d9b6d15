package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.util.Objects;
import org.fedcredit.protocols.paillier.v1.PlaintextEncoding;

/**
 * How the plaintexts of an {@link EncryptedVector} are encoded: one fixed-point scale for the whole
 * tensor and, optionally, several values packed per plaintext.
 *
 * @param scaleBits value = integer / 2^scaleBits
 * @param slots values per plaintext (1 = no packing)
 * @param slotBits width of a slot when packed, 0 otherwise
 * @param slotOffset added to every packed value so that slots stay non-negative
 * @param summands how many vectors may be added before a slot could overflow
 * @param valueCount number of real values carried
 */
public record EncodingDescriptor(
    int scaleBits, int slots, int slotBits, BigInteger slotOffset, int summands, long valueCount) {

  public EncodingDescriptor {
    Objects.requireNonNull(slotOffset, "slotOffset");
    if (scaleBits < 0 || slots < 1 || slotBits < 0 || summands < 1 || valueCount < 0) {
      throw new PaillierException(
          "invalid plaintext encoding: scaleBits="
              + scaleBits
              + " slots="
              + slots
              + " slotBits="
              + slotBits
              + " summands="
              + summands
              + " valueCount="
              + valueCount);
    }
  }

  /** One fixed-point value per ciphertext with the given scale. */
  public static EncodingDescriptor fixedPoint(int scaleBits, long valueCount) {
    return new EncodingDescriptor(scaleBits, 1, 0, BigInteger.ZERO, 1, valueCount);
  }

  public PlaintextEncoding toProto() {
    return PlaintextEncoding.newBuilder()
        .setScaleBits(scaleBits)
        .setSlots(slots)
        .setSlotBits(slotBits)
        .setSlotOffset(com.google.protobuf.ByteString.copyFrom(slotOffset.toByteArray()))
        .setSummands(summands)
        .setValueCount(valueCount)
        .build();
  }

  public static EncodingDescriptor fromProto(PlaintextEncoding p) {
    BigInteger offset =
        p.getSlotOffset().isEmpty()
            ? BigInteger.ZERO
            : new BigInteger(p.getSlotOffset().toByteArray());
    return new EncodingDescriptor(
        p.getScaleBits(),
        Math.max(1, p.getSlots()),
        p.getSlotBits(),
        offset,
        Math.max(1, p.getSummands()),
        p.getValueCount());
  }
}
