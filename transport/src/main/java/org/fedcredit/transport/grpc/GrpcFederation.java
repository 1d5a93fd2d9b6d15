package org.fedcredit.transport.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.FederationException;
import org.fedcredit.modelzoo.federation.MessageObserver;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.federation.v1.DeliveryAck;
import org.fedcredit.protocols.federation.v1.FederationServiceGrpc;
import org.fedcredit.protocols.federation.v1.MessageChunk;
import org.fedcredit.protocols.federation.v1.MessageHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@link Federation} of one party in one job over gRPC (DESIGN.md §4), the network twin of
 * {@code InMemoryFederation}: the same role programs run on both and produce the same model.
 *
 * <p>Sending: {@link #send} serialises the message, shows it to the {@link MessageObserver}s and
 * hands it to a per-receiver sender thread, so it returns before delivery but messages to one
 * receiver go in the order sent (one at a time, each acknowledged before the next). A message
 * travels as one client-streaming {@code Deliver} call in chunks of at most {@link
 * FederationEndpoint#MAX_CHUNK_BYTES}, honouring gRPC flow control ({@code isReady}); at most
 * {@link Options#maxPendingBytes()} per receiver wait unsent, beyond that {@code send} blocks. Each
 * call has a deadline ({@link Options#sendTimeout()}); on UNAVAILABLE or DEADLINE_EXCEEDED it is
 * retried ({@link Options#retries()} times, exponential backoff) with the same message id, which
 * the receiver delivers once. Any other status, or exhausted retries, is a failure: it is thrown by
 * the next {@link #send}, {@link #receive} or {@link #close()}, and nothing more is sent to that
 * receiver.
 *
 * <p>Receiving: {@link #receive} blocks on the (sender, tag) queue of this job at the node's {@link
 * FederationEndpoint} for at most {@link Options#receiveTimeout()}, and stops early with a {@link
 * FederationException} naming the peer and tag when the peer is failed ({@link #failPeer}), the job
 * aborted ({@link #abort}) or a send failed. {@link #close()} waits for pending sends, closes the
 * channels and drops the job's queues; later messages for the job are refused.
 *
 * <p>Byte counts per peer: {@link #bytesSent()} (acknowledged payload bytes) and {@link
 * #bytesReceived()}, also as Micrometer counters {@code fedcredit.federation.bytes.sent{peer}} and
 * {@code fedcredit.federation.bytes.received{peer}}.
 */
public final class GrpcFederation implements Federation, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcFederation.class);

  /**
   * Tuning, with defaults ({@link #defaults()}).
   *
   * @param sendTimeout deadline of one delivery attempt (default 60 s)
   * @param retries further attempts after an UNAVAILABLE or DEADLINE_EXCEEDED (default 5)
   * @param initialBackoff wait before the first retry, doubled for each next one (default 250 ms)
   * @param maxBackoff the longest wait between retries (default 8 s)
   * @param receiveTimeout how long {@link #receive} waits (default 10 min)
   * @param maxPendingBytes payload bytes per receiver that may wait unsent before {@link #send}
   *     blocks (default 64 MiB; a larger message waits until the queue is empty)
   * @param meterRegistry where the byte counters go (default Micrometer's global registry)
   * @param observers see every message as sent (default none)
   */
  public record Options(
      Duration sendTimeout,
      int retries,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration receiveTimeout,
      int maxPendingBytes,
      MeterRegistry meterRegistry,
      List<MessageObserver> observers) {

    public Options {
      requirePositive(sendTimeout, "sendTimeout");
      requirePositive(initialBackoff, "initialBackoff");
      requirePositive(maxBackoff, "maxBackoff");
      requirePositive(receiveTimeout, "receiveTimeout");
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0, was " + retries);
      }
      if (maxPendingBytes < 1) {
        throw new IllegalArgumentException("maxPendingBytes must be >= 1, was " + maxPendingBytes);
      }
      Objects.requireNonNull(meterRegistry, "meterRegistry");
      observers = List.copyOf(observers);
    }

    private static void requirePositive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
      }
    }

    /** The defaults listed above. */
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(60),
          5,
          Duration.ofMillis(250),
          Duration.ofSeconds(8),
          Duration.ofMinutes(10),
          64 << 20,
          Metrics.globalRegistry,
          List.of());
    }

    public Options withSendTimeout(Duration d) {
      return new Options(
          d,
          retries,
          initialBackoff,
          maxBackoff,
          receiveTimeout,
          maxPendingBytes,
          meterRegistry,
          observers);
    }

    public Options withRetries(int r, Duration initial, Duration max) {
      return new Options(
          sendTimeout, r, initial, max, receiveTimeout, maxPendingBytes, meterRegistry, observers);
    }

    public Options withReceiveTimeout(Duration d) {
      return new Options(
          sendTimeout,
          retries,
          initialBackoff,
          maxBackoff,
          d,
          maxPendingBytes,
          meterRegistry,
          observers);
    }

    public Options withMaxPendingBytes(int bytes) {
      return new Options(
          sendTimeout,
          retries,
          initialBackoff,
          maxBackoff,
          receiveTimeout,
          bytes,
          meterRegistry,
          observers);
    }

    public Options withMeterRegistry(MeterRegistry r) {
      return new Options(
          sendTimeout,
          retries,
          initialBackoff,
          maxBackoff,
          receiveTimeout,
          maxPendingBytes,
          r,
          observers);
    }

    /** These options plus {@code observer}. */
    public Options withObserver(MessageObserver observer) {
      List<MessageObserver> all = new ArrayList<>(observers);
      all.add(observer);
      return new Options(
          sendTimeout,
          retries,
          initialBackoff,
          maxBackoff,
          receiveTimeout,
          maxPendingBytes,
          meterRegistry,
          all);
    }
  }

  private final String jobId;
  private final PartyId self;
  private final Options options;
  private final FederationEndpoint endpoint;
  private final JobInbox inbox;
  private final Map<PartyId, Outbox> outboxes;
  private final Map<PartyId, Counter> receivedCounters = new LinkedHashMap<>();
  private final AtomicReference<FederationException> sendFailure = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private GrpcFederation(
      String jobId,
      PartyId self,
      Map<PartyId, PeerAddress> peers,
      FederationEndpoint endpoint,
      Options options,
      JobInbox inbox) {
    this.jobId = jobId;
    this.self = self;
    this.options = options;
    this.endpoint = endpoint;
    this.inbox = inbox;
    Map<PartyId, Outbox> out = new LinkedHashMap<>();
    for (var e : new TreeMap<>(peers).entrySet()) {
      out.put(e.getKey(), new Outbox(e.getKey(), e.getValue()));
      receivedCounters.put(
          e.getKey(),
          Counter.builder("fedcredit.federation.bytes.received")
              .description("Federation payload bytes received from a peer")
              .tag("peer", e.getKey().name())
              .register(options.meterRegistry()));
    }
    this.outboxes = out;
  }

  /**
   * The federation of {@code self} in {@code jobId}.
   *
   * @param peers the other parties of the job and where their nodes listen (may include {@code
   *     self}, then messages to itself go through its own server)
   * @param endpoint this node's receiving side; its identity must be {@code self}
   * @throws FederationException if {@code self} is not the endpoint's identity, the job was closed
   *     at this node or already has a federation here
   */
  public static GrpcFederation forJob(
      String jobId,
      PartyId self,
      Map<PartyId, PeerAddress> peers,
      FederationEndpoint endpoint,
      Options options) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("job id must not be empty");
    }
    if (!endpoint.self().equals(self)) {
      throw new FederationException(
          "job "
              + jobId
              + ": this node's identity is "
              + endpoint.self()
              + " (its certificate), not "
              + self);
    }
    JobInbox inbox =
        endpoint
            .inbox(jobId)
            .orElseThrow(
                () ->
                    new FederationException(
                        "job " + jobId + " was closed at " + self + " and cannot be reopened"));
    GrpcFederation fed =
        new GrpcFederation(jobId, self, Map.copyOf(peers), endpoint, options, inbox);
    if (!inbox.attach(
        (from, n) -> {
          Counter c = fed.receivedCounters.get(from);
          if (c != null) {
            c.increment(n);
          }
        })) {
      fed.shutdownChannels();
      throw new FederationException(
          "job " + jobId + " already has a federation at " + self + "; close it first");
    }
    return fed;
  }

  @Override
  public PartyId self() {
    return self;
  }

  public String jobId() {
    return jobId;
  }

  @Override
  public void send(PartyId to, String tag, Message payload) {
    requireUsable("send '" + tag + "' to " + to);
    Outbox out = outbox(to, "send");
    byte[] wire = payload.toByteArray();
    for (MessageObserver o : options.observers()) {
      o.onSend(self, to, tag, wire);
    }
    out.enqueue(tag, wire);
  }

  @Override
  public <T extends Message> T receive(PartyId from, String tag, Class<T> type) {
    outbox(from, "receive");
    if (closed.get()) {
      throw new FederationException(
          "job "
              + jobId
              + ": "
              + self
              + " cannot receive '"
              + tag
              + "' from "
              + from
              + ": the federation is closed");
    }
    String waiting =
        self + " stopped waiting for '" + tag + "' from " + from + " (job " + jobId + ")";
    BlockingQueue<byte[]> q = inbox.queue(from, tag);
    long deadline = System.nanoTime() + options.receiveTimeout().toNanos();
    try {
      while (true) {
        byte[] wire = q.poll(50, TimeUnit.MILLISECONDS);
        if (wire != null) {
          return parse(wire, type, from, tag);
        }
        if (closed.get()) {
          throw new FederationException(waiting + ": the federation is closed");
        }
        String aborted = inbox.abortReason();
        if (aborted != null) {
          throw new FederationException(waiting + ": the job was aborted: " + aborted);
        }
        String failed = inbox.failure(from);
        if (failed != null) {
          throw new FederationException(waiting + ": " + from + " failed: " + failed);
        }
        FederationException f = sendFailure.get();
        if (f != null) {
          throw new FederationException(waiting + ": " + f.getMessage(), f);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new FederationException(
              self
                  + " timed out after "
                  + options.receiveTimeout().toSeconds()
                  + " s waiting for '"
                  + tag
                  + "' from "
                  + from
                  + " (job "
                  + jobId
                  + ")");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederationException(
          self + " was interrupted waiting for '" + tag + "' from " + from, e);
    }
  }

  /**
   * Marks {@code peer} as failed: receives waiting on it stop with an error naming it and {@code
   * reason} (the coordinator calls this when a party of the job failed).
   */
  public void failPeer(PartyId peer, String reason) {
    inbox.failPeer(peer, reason);
  }

  /**
   * Aborts the job here: every waiting and later {@link #receive} and {@link #send} fails with
   * {@code reason}, and unsent messages are dropped (the job was cancelled).
   */
  public void abort(String reason) {
    inbox.abort(reason);
  }

  /** Payload bytes acknowledged by each peer. */
  public Map<PartyId, Long> bytesSent() {
    Map<PartyId, Long> out = new TreeMap<>();
    outboxes.forEach((p, o) -> out.put(p, o.sentBytes.get()));
    return out;
  }

  /** Payload bytes delivered from each peer (counted on arrival, before {@link #receive}). */
  public Map<PartyId, Long> bytesReceived() {
    return inbox.receivedBytes();
  }

  /**
   * Waits until every message sent so far is acknowledged.
   *
   * @throws FederationException if a send failed
   */
  public void flush() {
    for (Outbox o : outboxes.values()) {
      o.drain();
    }
    throwSendFailure();
  }

  /**
   * Waits for pending sends (unless aborted), closes the channels and drops the job's queues at
   * this node; messages for the job arriving later are refused. Idempotent.
   *
   * @throws FederationException if a send failed (resources are released anyway)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (inbox.abortReason() == null) {
        for (Outbox o : outboxes.values()) {
          o.drain();
        }
      }
    } finally {
      shutdownChannels();
      endpoint.close(jobId);
    }
    if (inbox.abortReason() == null) {
      throwSendFailure();
    }
  }

  private void shutdownChannels() {
    for (Outbox o : outboxes.values()) {
      o.shutdown();
    }
  }

  private void throwSendFailure() {
    FederationException f = sendFailure.get();
    if (f != null) {
      throw new FederationException(f.getMessage(), f);
    }
  }

  private void requireUsable(String what) {
    if (closed.get()) {
      throw new FederationException(
          "job " + jobId + ": " + self + " cannot " + what + ": the federation is closed");
    }
    String aborted = inbox.abortReason();
    if (aborted != null) {
      throw new FederationException(
          "job " + jobId + ": " + self + " cannot " + what + ": the job was aborted: " + aborted);
    }
    throwSendFailure();
  }

  private Outbox outbox(PartyId peer, String what) {
    Outbox o = outboxes.get(peer);
    if (o == null) {
      throw new FederationException(
          what
              + " at "
              + self
              + ": '"
              + peer
              + "' is not a party of job "
              + jobId
              + "; parties are "
              + new TreeSet<>(outboxes.keySet()));
    }
    return o;
  }

  private static <T extends Message> T parse(byte[] wire, Class<T> type, PartyId from, String tag) {
    try {
      @SuppressWarnings("unchecked")
      Parser<T> parser =
          (Parser<T>) com.google.protobuf.Internal.getDefaultInstance(type).getParserForType();
      return parser.parseFrom(wire);
    } catch (InvalidProtocolBufferException e) {
      throw new FederationException(
          "message '"
              + tag
              + "' from "
              + from
              + " is not a valid "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The ordered, bounded, retrying sender towards one peer. */
  private final class Outbox {
    private final PartyId peer;
    private final PeerAddress address;
    private final ManagedChannel channel;
    private final FederationServiceGrpc.FederationServiceStub stub;
    private final ExecutorService worker;
    private final Semaphore pending;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final Counter sentCounter;
    private volatile boolean failed;

    Outbox(PartyId peer, PeerAddress address) {
      this.peer = peer;
      this.address = address;
      this.channel = GrpcChannels.forPeer(endpoint.security(), peer, address);
      this.stub = FederationServiceGrpc.newStub(channel);
      this.worker =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "fedcredit-send-" + jobId + "-" + peer);
                t.setDaemon(true);
                return t;
              });
      this.pending = new Semaphore(options.maxPendingBytes());
      this.sentCounter =
          Counter.builder("fedcredit.federation.bytes.sent")
              .description("Federation payload bytes acknowledged by a peer")
              .tag("peer", peer.name())
              .register(options.meterRegistry());
    }

    void enqueue(String tag, byte[] wire) {
      int permits = Math.min(wire.length, options.maxPendingBytes());
      try {
        pending.acquire(permits);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FederationException(
            self + " was interrupted queueing '" + tag + "' for " + peer + " (job " + jobId + ")",
            e);
      }
      String messageId = UUID.randomUUID().toString();
      // Numbering and queueing together: concurrent senders must not enqueue out of sequence.
      synchronized (this) {
        long seq = sequence.incrementAndGet();
        submit(tag, wire, seq, messageId, permits);
      }
    }

    private void submit(String tag, byte[] wire, long seq, String messageId, int permits) {
      try {
        worker.execute(
            () -> {
              MDC.put("job", jobId);
              MDC.put("party", self.name());
              try {
                if (!failed && inbox.abortReason() == null) {
                  deliver(tag, wire, seq, messageId);
                }
              } catch (RuntimeException e) {
                FederationException f =
                    e instanceof FederationException fe
                        ? fe
                        : new FederationException(
                            "job "
                                + jobId
                                + ": "
                                + self
                                + " could not deliver '"
                                + tag
                                + "' to "
                                + peer
                                + ": "
                                + e,
                            e);
                failed = true;
                sendFailure.compareAndSet(null, f);
                LOG.warn("{}", f.getMessage());
              } finally {
                pending.release(permits);
                MDC.remove("job");
                MDC.remove("party");
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.release(permits);
        throw new FederationException(
            "job " + jobId + ": " + self + " cannot send '" + tag + "' to " + peer + ": closed", e);
      }
    }

    /** One message, retried with the same id on UNAVAILABLE or DEADLINE_EXCEEDED. */
    private void deliver(String tag, byte[] wire, long seq, String messageId) {
      MessageHeader header =
          MessageHeader.newBuilder()
              .setJobId(jobId)
              .setTag(tag)
              .setSender(self.name())
              .setReceiver(peer.name())
              .setMessageId(messageId)
              .setSequence(seq)
              .setTotalBytes(wire.length)
              .setChunkCount(chunkCount(wire.length))
              .setSha256(ByteString.copyFrom(FederationEndpoint.sha256(wire)))
              .build();
      long backoff = options.initialBackoff().toMillis();
      for (int attempt = 0; ; attempt++) {
        Status status = attempt(header, wire);
        if (status.isOk()) {
          sentBytes.addAndGet(wire.length);
          sentCounter.increment(wire.length);
          return;
        }
        boolean transient_ =
            status.getCode() == Status.Code.UNAVAILABLE
                || status.getCode() == Status.Code.DEADLINE_EXCEEDED;
        String what =
            "job "
                + jobId
                + ": "
                + self
                + " could not deliver '"
                + tag
                + "' ("
                + wire.length
                + " bytes) to "
                + peer
                + " at "
                + address;
        if (!transient_) {
          throw new FederationException(what + ": " + describe(status));
        }
        if (attempt >= options.retries()) {
          throw new FederationException(
              what + " after " + (attempt + 1) + " attempts: " + describe(status));
        }
        LOG.info(
            "{} (attempt {}): {}; retrying in {} ms", what, attempt + 1, describe(status), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FederationException(what + ": interrupted while retrying", e);
        }
        if (inbox.abortReason() != null) {
          throw new FederationException(what + ": the job was aborted: " + inbox.abortReason());
        }
        backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
      }
    }

    /** One Deliver call: chunks sent as flow control allows; the status of the call. */
    private Status attempt(MessageHeader header, byte[] wire) {
      CompletableFuture<DeliveryAck> result = new CompletableFuture<>();
      Object ready = new Object();
      ClientResponseObserver<MessageChunk, DeliveryAck> responses =
          new ClientResponseObserver<>() {
            private DeliveryAck ack;

            @Override
            public void beforeStart(ClientCallStreamObserver<MessageChunk> requests) {
              requests.setOnReadyHandler(
                  () -> {
                    synchronized (ready) {
                      ready.notifyAll();
                    }
                  });
            }

            @Override
            public void onNext(DeliveryAck value) {
              ack = value;
            }

            @Override
            public void onError(Throwable t) {
              result.completeExceptionally(t);
              synchronized (ready) {
                ready.notifyAll();
              }
            }

            @Override
            public void onCompleted() {
              if (ack == null) {
                result.completeExceptionally(
                    Status.INTERNAL.withDescription("no acknowledgement").asRuntimeException());
              } else {
                result.complete(ack);
              }
            }
          };
      ClientCallStreamObserver<MessageChunk> requests =
          (ClientCallStreamObserver<MessageChunk>)
              stub.withDeadlineAfter(options.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                  .deliver(responses);
      try {
        int chunks = header.getChunkCount();
        for (int i = 0; i < chunks && !result.isDone(); i++) {
          synchronized (ready) {
            while (!requests.isReady() && !result.isDone()) {
              ready.wait(100);
            }
          }
          if (result.isDone()) {
            break;
          }
          int from = i * FederationEndpoint.MAX_CHUNK_BYTES;
          int len = Math.min(FederationEndpoint.MAX_CHUNK_BYTES, wire.length - from);
          MessageChunk.Builder c =
              MessageChunk.newBuilder()
                  .setIndex(i)
                  .setData(UnsafeByteOperations.unsafeWrap(wire, from, len));
          if (i == 0) {
            c.setHeader(header);
          }
          requests.onNext(c.build());
        }
        if (!result.isDone()) {
          requests.onCompleted();
        }
        DeliveryAck ack =
            result.get(options.sendTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        if (ack.getDuplicate()) {
          LOG.debug("message {} was already delivered to {}", header.getMessageId(), peer);
        }
        return Status.OK;
      } catch (ExecutionException e) {
        return Status.fromThrowable(e.getCause());
      } catch (TimeoutException e) {
        requests.cancel("no answer within the deadline", e);
        return Status.DEADLINE_EXCEEDED.withDescription("no answer within the deadline");
      } catch (InterruptedException e) {
        requests.cancel("interrupted", e);
        Thread.currentThread().interrupt();
        return Status.CANCELLED.withDescription("interrupted");
      } catch (RuntimeException e) {
        requests.cancel("send failed", e);
        return Status.fromThrowable(e);
      }
    }

    /** Blocks until everything queued before is handled. */
    void drain() {
      try {
        worker.submit(() -> {}).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FederationException("interrupted while flushing messages to " + peer, e);
      } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
        // Nothing left to wait for.
      }
    }

    void shutdown() {
      worker.shutdownNow();
      channel.shutdown();
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Chunks of a payload of {@code bytes}: at least one (an empty payload is one empty chunk). */
  static int chunkCount(int bytes) {
    long max = FederationEndpoint.MAX_CHUNK_BYTES;
    return (int) Math.max(1, (bytes + max - 1) / max);
  }

  /** The status code, its description and the root cause (e.g. why a TLS handshake failed). */
  private static String describe(Status s) {
    StringBuilder b = new StringBuilder(s.getCode().toString());
    if (s.getDescription() != null) {
      b.append(": ").append(s.getDescription());
    }
    Throwable root = s.getCause();
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    if (root != null && root.getMessage() != null) {
      b.append(" (").append(root.getMessage()).append(")");
    }
    return b.toString();
  }
}
