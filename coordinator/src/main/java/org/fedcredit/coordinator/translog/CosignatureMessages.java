package org.fedcredit.coordinator.translog;

import com.google.protobuf.ByteString;

/** {@link Cosignature} to and from its gRPC message ({@code participant.proto}). */
public final class CosignatureMessages {
  private CosignatureMessages() {}

  public static org.fedcredit.protocols.participant.v1.Cosignature toMessage(Cosignature c) {
    return org.fedcredit.protocols.participant.v1.Cosignature.newBuilder()
        .setWitness(c.witness())
        .setCertificate(ByteString.copyFrom(c.certificate()))
        .setCheckpoint(c.checkpoint())
        .setTimestamp(c.timestamp())
        .setSignature(ByteString.copyFrom(c.signature()))
        .build();
  }

  public static Cosignature fromMessage(org.fedcredit.protocols.participant.v1.Cosignature m) {
    return new Cosignature(
        m.getWitness(),
        m.getCertificate().toByteArray(),
        m.getCheckpoint(),
        m.getTimestamp(),
        m.getSignature().toByteArray());
  }
}
