package org.fedcredit.modelzoo.psi;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.psi.v1.BlindedBatch;
import org.fedcredit.protocols.psi.v1.PsiHello;

/** Protocol constants, tags and the checked reading of the streams both roles share. */
final class PsiWire {

  static final String PROTOCOL = "fedcredit-psi-ecdh-x25519-tai-v1";

  static final String HELLO = "psi/hello";
  static final String LABEL_BLINDED = "psi/label-blinded";
  static final String FEATURE_BLINDED = "psi/feature-blinded";
  static final String LABEL_DOUBLE_BLINDED = "psi/label-double-blinded";
  static final String ALIGNMENT_SIZE = "psi/alignment-size";
  static final String ALIGNMENT = "psi/alignment";

  /** Largest set a party may announce: its blinded values must fit one Java array. */
  static final long MAX_SET_SIZE = (Integer.MAX_VALUE - 64) / BlindingKey.POINT_BYTES;

  private PsiWire() {}

  /**
   * The hash-to-curve domain: protocol name, then the job id with its length, so that no two (job,
   * id) pairs hash alike and blinded values of one job are useless in another.
   */
  static byte[] domain(String jobId) {
    byte[] p = PROTOCOL.getBytes(StandardCharsets.UTF_8);
    byte[] j = jobId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(p.length + 1 + 4 + j.length)
        .put(p)
        .put((byte) 0)
        .putInt(j.length)
        .put(j)
        .array();
  }

  static PsiHello hello(byte[] domain, int setSize, int batchSize) {
    return PsiHello.newBuilder()
        .setProtocol(PROTOCOL)
        .setDomainDigest(ByteString.copyFrom(sha256(domain)))
        .setSetSize(setSize)
        .setBatchSize(batchSize)
        .build();
  }

  /** Receives and checks a peer's hello; returns it. */
  static PsiHello receiveHello(Federation fed, PartyId peer, byte[] domain) {
    PsiHello h = fed.receive(peer, HELLO, PsiHello.class);
    String where = fed.self() + ": PSI peer " + peer;
    if (!h.getProtocol().equals(PROTOCOL)) {
      throw new PsiException(
          where + " speaks '" + h.getProtocol() + "', this party '" + PROTOCOL + "'; upgrade one");
    }
    if (!MessageDigest.isEqual(h.getDomainDigest().toByteArray(), sha256(domain))) {
      throw new PsiException(
          where + " hashes ids for a different job id; both must run PSI for the same job");
    }
    if (h.getSetSize() > MAX_SET_SIZE) {
      throw new PsiException(
          where + " announces " + h.getSetSize() + " ids; at most " + MAX_SET_SIZE + " supported");
    }
    if (h.getBatchSize() < 1 || h.getBatchSize() > PsiConfig.MAX_BATCH_SIZE) {
      throw new PsiException(where + " announces batch size " + h.getBatchSize());
    }
    return h;
  }

  static int batches(long size, int batchSize) {
    return (int) ((size + batchSize - 1) / batchSize);
  }

  static BlindedBatch batch(int offset, byte[] points) {
    return BlindedBatch.newBuilder()
        .setOffset(offset)
        .setPoints(UnsafeByteOperations.unsafeWrap(points))
        .build();
  }

  /** Receives batch {@code k} of a stream of {@code size} points in batches of {@code batch}. */
  static byte[] receiveBatch(
      Federation fed, PartyId from, String tag, int k, int batch, long size) {
    BlindedBatch b = fed.receive(from, tag, BlindedBatch.class);
    long offset = (long) k * batch;
    long count = Math.min(batch, size - offset);
    if (b.getOffset() != offset || b.getPoints().size() != count * BlindingKey.POINT_BYTES) {
      throw new PsiException(
          fed.self()
              + ": '"
              + tag
              + "' from "
              + from
              + " has offset "
              + b.getOffset()
              + " and "
              + b.getPoints().size()
              + " bytes; expected offset "
              + offset
              + " and "
              + count * BlindingKey.POINT_BYTES
              + " bytes");
    }
    return b.getPoints().toByteArray();
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
