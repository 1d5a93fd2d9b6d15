package org.fedcredit.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedcredit.protocols.federation.v1.DeliveryAck;
import org.fedcredit.protocols.federation.v1.FederationServiceGrpc;
import org.fedcredit.protocols.federation.v1.MessageChunk;
import org.fedcredit.protocols.federation.v1.MessageHeader;

/** Hand-made Deliver streams, to test what the server accepts and refuses. */
final class RawDelivery {

  /** The answer to one Deliver call: an ack, or the status it failed with. */
  record Outcome(Status status, DeliveryAck ack) {
    boolean ok() {
      return status.isOk();
    }

    String describe() {
      return status.getCode() + ": " + status.getDescription();
    }
  }

  private RawDelivery() {}

  static MessageHeader.Builder header(
      String job, String tag, String sender, String receiver, String id, long seq, byte[] p) {
    return MessageHeader.newBuilder()
        .setJobId(job)
        .setTag(tag)
        .setSender(sender)
        .setReceiver(receiver)
        .setMessageId(id)
        .setSequence(seq)
        .setTotalBytes(p.length)
        .setChunkCount(GrpcFederation.chunkCount(p.length))
        .setSha256(ByteString.copyFrom(FederationEndpoint.sha256(p)));
  }

  /** The chunks an honest sender would make. */
  static List<MessageChunk> chunks(MessageHeader header, byte[] payload) {
    List<MessageChunk> out = new java.util.ArrayList<>();
    int n = GrpcFederation.chunkCount(payload.length);
    for (int i = 0; i < n; i++) {
      int from = i * FederationEndpoint.MAX_CHUNK_BYTES;
      int len = Math.min(FederationEndpoint.MAX_CHUNK_BYTES, payload.length - from);
      MessageChunk.Builder c =
          MessageChunk.newBuilder().setIndex(i).setData(ByteString.copyFrom(payload, from, len));
      if (i == 0) {
        c.setHeader(header);
      }
      out.add(c.build());
    }
    return out;
  }

  static Outcome deliver(ManagedChannel channel, MessageHeader header, byte[] payload) {
    return deliver(channel, chunks(header, payload));
  }

  static Outcome deliver(ManagedChannel channel, List<MessageChunk> chunks) {
    CompletableFuture<DeliveryAck> done = new CompletableFuture<>();
    StreamObserver<MessageChunk> requests =
        FederationServiceGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .deliver(
                new StreamObserver<>() {
                  DeliveryAck ack;

                  @Override
                  public void onNext(DeliveryAck value) {
                    ack = value;
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(ack);
                  }
                });
    chunks.forEach(requests::onNext);
    requests.onCompleted();
    try {
      return new Outcome(Status.OK, done.get(20, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      return new Outcome(Status.fromThrowable(e.getCause()), null);
    } catch (Exception e) {
      throw new AssertionError("no answer to Deliver", e);
    }
  }
}
