package org.fedcredit.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.federation.v1.DeliveryAck;
import org.fedcredit.protocols.federation.v1.FederationServiceGrpc;
import org.fedcredit.protocols.federation.v1.MessageChunk;
import org.fedcredit.protocols.federation.v1.MessageHeader;
import org.fedcredit.transport.tls.PeerIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of the gRPC Federation on one node, for all its jobs: the {@code
 * FederationService} ({@link #service()}, to register in the node's server, e.g. with {@link
 * GrpcServers}) and the per-job inboxes that {@link GrpcFederation} reads.
 *
 * <p>Guarantees for every incoming message, checked before its payload is kept: the header's sender
 * is the authenticated caller ({@link PeerIdentity}; else PERMISSION_DENIED "sender X claims to be
 * Y"); the receiver is this node; the job is not finished (FAILED_PRECONDITION) and the {@link
 * JobAuthorizer} accepts the sender for it (PERMISSION_DENIED); the job was not closed here
 * (FAILED_PRECONDITION). Then the chunks must come in order, none above {@link #MAX_CHUNK_BYTES},
 * their count, total size and SHA-256 must match the header (INVALID_ARGUMENT / DATA_LOSS). A
 * message is delivered at most once per message id (a retry is acknowledged with {@code duplicate =
 * true}), and in the sender's sequence order.
 */
public final class FederationEndpoint {

  /** The largest chunk: 1 MiB, far below gRPC's 4 MiB default message limit. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;

  /** Default upper bound of one reassembled message (1 GiB). */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 1L << 30;

  private static final Logger LOG = LoggerFactory.getLogger(FederationEndpoint.class);

  private final TransportSecurity security;
  private final JobAuthorizer authorizer;
  private final long maxMessageBytes;
  private final Map<String, JobInbox> inboxes = new ConcurrentHashMap<>();
  private final Set<String> closedJobs = ConcurrentHashMap.newKeySet();
  private final Service service = new Service();

  public FederationEndpoint(TransportSecurity security, JobAuthorizer authorizer) {
    this(security, authorizer, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * @param maxMessageBytes largest reassembled message accepted (at most {@code Integer.MAX_VALUE -
   *     8}, a Java array)
   */
  public FederationEndpoint(
      TransportSecurity security, JobAuthorizer authorizer, long maxMessageBytes) {
    this.security = Objects.requireNonNull(security, "security");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    if (maxMessageBytes < 1 || maxMessageBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The party this node is. */
  public PartyId self() {
    return security.self();
  }

  /** How this node authenticates itself and its peers (also used by its outgoing channels). */
  public TransportSecurity security() {
    return security;
  }

  /** The gRPC service to add to the node's server. */
  public BindableService service() {
    return service;
  }

  /** The inbox of {@code jobId}, made if needed; empty if the job was closed at this node. */
  synchronized Optional<JobInbox> inbox(String jobId) {
    if (closedJobs.contains(jobId)) {
      return Optional.empty();
    }
    return Optional.of(inboxes.computeIfAbsent(jobId, JobInbox::new));
  }

  /** Drops the job's queues; its messages are refused from now on. */
  synchronized void close(String jobId) {
    closedJobs.add(jobId);
    inboxes.remove(jobId);
  }

  private final class Service extends FederationServiceGrpc.FederationServiceImplBase {
    @Override
    public StreamObserver<MessageChunk> deliver(StreamObserver<DeliveryAck> ack) {
      Optional<PartyId> caller = PeerIdentity.find();
      if (caller.isEmpty()) {
        ack.onError(
            Status.UNAUTHENTICATED
                .withDescription(
                    "the caller did not identify itself (mutual TLS, or x-fedcredit-party in"
                        + " --insecure-dev mode)")
                .asRuntimeException());
        return new StreamObserver<>() {
          @Override
          public void onNext(MessageChunk value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
      return new Assembly(caller.get(), ack);
    }
  }

  /** One incoming message being reassembled from its chunks. */
  private final class Assembly implements StreamObserver<MessageChunk> {
    private final PartyId caller;
    private final StreamObserver<DeliveryAck> ack;
    private MessageHeader header;
    private JobInbox inbox;
    private byte[] payload;
    private boolean duplicate;
    private long filled;
    private int nextIndex;
    private boolean done;

    Assembly(PartyId caller, StreamObserver<DeliveryAck> ack) {
      this.caller = caller;
      this.ack = ack;
    }

    @Override
    public void onNext(MessageChunk chunk) {
      if (done) {
        return;
      }
      try {
        if (header == null) {
          begin(chunk);
        } else if (chunk.hasHeader()) {
          throw refuse(Status.INVALID_ARGUMENT, "a header in chunk " + chunk.getIndex());
        }
        append(chunk);
      } catch (StatusRuntimeException e) {
        fail(e);
      }
    }

    private void begin(MessageChunk first) {
      if (!first.hasHeader() || first.getIndex() != 0) {
        throw Status.INVALID_ARGUMENT
            .withDescription("the first chunk must have index 0 and carry the message header")
            .asRuntimeException();
      }
      MessageHeader h = first.getHeader();
      header = h;
      if (h.getJobId().isEmpty() || h.getTag().isEmpty() || h.getMessageId().isEmpty()) {
        throw refuse(Status.INVALID_ARGUMENT, "job_id, tag and message_id must not be empty");
      }
      if (!caller.name().equals(h.getSender())) {
        throw Status.PERMISSION_DENIED
            .withDescription(
                "sender "
                    + caller
                    + " claims to be "
                    + h.getSender()
                    + " (job "
                    + h.getJobId()
                    + ", message '"
                    + h.getTag()
                    + "')")
            .asRuntimeException();
      }
      if (!self().name().equals(h.getReceiver())) {
        throw refuse(
            Status.PERMISSION_DENIED,
            "addressed to " + h.getReceiver() + " but delivered to " + self());
      }
      if (authorizer.isFinished(h.getJobId())) {
        throw refuse(
            Status.FAILED_PRECONDITION,
            "job " + h.getJobId() + " has finished at " + self() + " (a replayed message?)");
      }
      if (authorizer.check(h.getJobId(), caller) instanceof JobAuthorizer.Refuse r) {
        throw refuse(Status.PERMISSION_DENIED, r.reason());
      }
      inbox =
          inbox(h.getJobId())
              .orElseThrow(
                  () ->
                      refuse(
                          Status.FAILED_PRECONDITION,
                          "job " + h.getJobId() + " is closed at " + self()));
      if (h.getTotalBytes() < 0 || h.getTotalBytes() > maxMessageBytes) {
        throw refuse(
            Status.RESOURCE_EXHAUSTED,
            Long.toUnsignedString(h.getTotalBytes())
                + " bytes is above this node's limit of "
                + maxMessageBytes);
      }
      long expectedChunks =
          Math.max(1, (h.getTotalBytes() + MAX_CHUNK_BYTES - 1) / MAX_CHUNK_BYTES);
      if (Integer.toUnsignedLong(h.getChunkCount()) != expectedChunks) {
        throw refuse(
            Status.INVALID_ARGUMENT,
            "chunk_count "
                + Integer.toUnsignedString(h.getChunkCount())
                + " does not fit total_bytes "
                + h.getTotalBytes()
                + " (expected "
                + expectedChunks
                + ")");
      }
      if (h.getSha256().size() != 32) {
        throw refuse(Status.INVALID_ARGUMENT, "sha256 must be 32 bytes");
      }
      duplicate = inbox.isDuplicate(h.getMessageId());
      if (!duplicate) {
        payload = new byte[(int) h.getTotalBytes()];
      }
    }

    private void append(MessageChunk chunk) {
      if (chunk.getIndex() != nextIndex) {
        throw refuse(
            Status.INVALID_ARGUMENT,
            "chunk "
                + Integer.toUnsignedString(chunk.getIndex())
                + " where "
                + nextIndex
                + " was due");
      }
      if (Integer.toUnsignedLong(chunk.getIndex())
          >= Integer.toUnsignedLong(header.getChunkCount())) {
        throw refuse(Status.INVALID_ARGUMENT, "more than chunk_count chunks");
      }
      ByteString data = chunk.getData();
      if (data.size() > MAX_CHUNK_BYTES) {
        throw refuse(
            Status.INVALID_ARGUMENT,
            "chunk " + nextIndex + " has " + data.size() + " bytes, above " + MAX_CHUNK_BYTES);
      }
      if (filled + data.size() > header.getTotalBytes()) {
        throw refuse(
            Status.INVALID_ARGUMENT, "more data than total_bytes " + header.getTotalBytes());
      }
      if (!duplicate) {
        data.copyTo(payload, (int) filled);
      }
      filled += data.size();
      nextIndex++;
    }

    @Override
    public void onCompleted() {
      if (done) {
        return;
      }
      try {
        if (header == null) {
          throw Status.INVALID_ARGUMENT
              .withDescription("empty Deliver stream: no header")
              .asRuntimeException();
        }
        if (nextIndex != header.getChunkCount() || filled != header.getTotalBytes()) {
          throw refuse(
              Status.INVALID_ARGUMENT,
              "incomplete: "
                  + nextIndex
                  + " of "
                  + header.getChunkCount()
                  + " chunks, "
                  + filled
                  + " of "
                  + header.getTotalBytes()
                  + " bytes");
        }
        JobInbox.Outcome outcome = JobInbox.Outcome.DUPLICATE;
        if (!duplicate) {
          if (!MessageDigest.isEqual(sha256(payload), header.getSha256().toByteArray())) {
            throw refuse(Status.DATA_LOSS, "the SHA-256 of the reassembled payload does not match");
          }
          outcome =
              inbox.deliver(
                  caller, header.getTag(), header.getMessageId(), header.getSequence(), payload);
        }
        if (outcome == JobInbox.Outcome.OUT_OF_ORDER) {
          throw refuse(
              Status.FAILED_PRECONDITION,
              "sequence "
                  + Long.toUnsignedString(header.getSequence())
                  + " is not after the last delivered "
                  + inbox.lastSequence(caller)
                  + " (a replayed or reordered message)");
        }
        done = true;
        payload = null;
        ack.onNext(
            DeliveryAck.newBuilder()
                .setMessageId(header.getMessageId())
                .setDuplicate(outcome == JobInbox.Outcome.DUPLICATE)
                .build());
        ack.onCompleted();
      } catch (StatusRuntimeException e) {
        fail(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      // The sender cancelled (deadline, shutdown); it retries with the same message id.
      done = true;
      payload = null;
    }

    private StatusRuntimeException refuse(Status status, String why) {
      return status
          .withDescription(
              "job "
                  + header.getJobId()
                  + ": message '"
                  + header.getTag()
                  + "' from "
                  + caller
                  + " refused by "
                  + self()
                  + ": "
                  + why)
          .asRuntimeException();
    }

    private void fail(StatusRuntimeException e) {
      done = true;
      payload = null;
      LOG.warn("{}", e.getStatus().getDescription());
      ack.onError(e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
