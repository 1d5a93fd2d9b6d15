package org.fedcredit.modelzoo.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All parties of a job in one JVM, one thread each. Messages are serialised to bytes on send and
 * parsed on receive, exactly as over a network, so observers see the real wire bytes and byte
 * counts are honest.
 *
 * <p>Create one per job with the party list, give each role its {@link #endpoint}; {@link
 * #fail(PartyId, Throwable)} marks a party as failed so that everyone waiting on it stops with an
 * error naming it instead of hanging. Receives time out after {@code timeout} (default 10 minutes).
 */
public final class InMemoryFederation {

  private record Channel(PartyId from, PartyId to, String tag) {}

  private final Set<PartyId> parties;
  private final Duration timeout;
  private final Map<Channel, BlockingQueue<byte[]>> queues = new ConcurrentHashMap<>();
  private final Map<List<PartyId>, AtomicLong> bytes = new ConcurrentHashMap<>();
  private final Map<PartyId, Throwable> failed = new ConcurrentHashMap<>();
  private final List<MessageObserver> observers = new CopyOnWriteArrayList<>();

  public InMemoryFederation(Set<PartyId> parties, Duration timeout) {
    this.parties = Set.copyOf(parties);
    this.timeout = timeout;
  }

  public InMemoryFederation(Set<PartyId> parties) {
    this(parties, Duration.ofMinutes(10));
  }

  /** Adds an observer that sees every message as sent. */
  public void observe(MessageObserver observer) {
    observers.add(observer);
  }

  /** The endpoint through which {@code party} sends and receives. */
  public Federation endpoint(PartyId party) {
    requireParty(party, "endpoint");
    return new Endpoint(party);
  }

  /** Marks a party as failed: receives waiting on it fail at once, naming it and the cause. */
  public void fail(PartyId party, Throwable cause) {
    failed.putIfAbsent(party, cause);
  }

  /** Bytes sent per (sender, receiver), sorted. */
  public Map<String, Long> bytesByPair() {
    Map<String, Long> out = new TreeMap<>();
    bytes.forEach((k, v) -> out.put(k.get(0) + "->" + k.get(1), v.get()));
    return out;
  }

  /** Total bytes sent. */
  public long totalBytes() {
    return bytes.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void requireParty(PartyId p, String what) {
    if (!parties.contains(p)) {
      throw new FederationException(
          what + ": '" + p + "' is not a party of this job; parties are " + new TreeSet<>(parties));
    }
  }

  private BlockingQueue<byte[]> queue(Channel c) {
    return queues.computeIfAbsent(c, k -> new LinkedBlockingQueue<>());
  }

  private final class Endpoint implements Federation {
    private final PartyId self;

    Endpoint(PartyId self) {
      this.self = self;
    }

    @Override
    public PartyId self() {
      return self;
    }

    @Override
    public void send(PartyId to, String tag, Message payload) {
      requireParty(to, "send from " + self);
      byte[] wire = payload.toByteArray();
      for (MessageObserver o : observers) {
        o.onSend(self, to, tag, wire);
      }
      bytes.computeIfAbsent(List.of(self, to), k -> new AtomicLong()).addAndGet(wire.length);
      queue(new Channel(self, to, tag)).add(wire);
    }

    @Override
    public <T extends Message> T receive(PartyId from, String tag, Class<T> type) {
      requireParty(from, "receive at " + self);
      BlockingQueue<byte[]> q = queue(new Channel(from, self, tag));
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (true) {
          byte[] wire = q.poll(100, TimeUnit.MILLISECONDS);
          if (wire != null) {
            return parse(wire, type, from, tag);
          }
          Throwable cause = failed.get(from);
          if (cause != null) {
            throw new FederationException(
                self
                    + " waited for '"
                    + tag
                    + "' from "
                    + from
                    + ", which failed: "
                    + cause.getMessage(),
                cause);
          }
          if (System.nanoTime() > deadline) {
            throw new FederationException(
                self
                    + " timed out after "
                    + timeout.toSeconds()
                    + " s waiting for '"
                    + tag
                    + "' from "
                    + from);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FederationException(
            self + " was interrupted waiting for '" + tag + "' from " + from, e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(byte[] wire, Class<T> type, PartyId from, String tag) {
    try {
      Message prototype = com.google.protobuf.Internal.getDefaultInstance(type);
      Parser<T> parser = (Parser<T>) prototype.getParserForType();
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
}
