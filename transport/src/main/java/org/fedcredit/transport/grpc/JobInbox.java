package org.fedcredit.transport.grpc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * The messages one node has received for one job, queued per (sender, tag) until the job's role
 * program takes them; plus the job's failure state (aborted, failed peers). Messages may arrive
 * before the job's {@link GrpcFederation} is created: the inbox is made on first delivery.
 */
final class JobInbox {

  enum Outcome {
    DELIVERED,
    DUPLICATE,
    OUT_OF_ORDER
  }

  private record Key(PartyId from, String tag) {}

  final String jobId;
  private final Map<Key, BlockingQueue<byte[]>> queues = new ConcurrentHashMap<>();
  private final Map<PartyId, AtomicLong> received = new ConcurrentHashMap<>();
  private final Map<PartyId, String> failedPeers = new ConcurrentHashMap<>();
  private volatile String abortReason;

  // Guarded by this.
  private final Set<String> delivered = new HashSet<>();
  private final Map<PartyId, Long> lastSequence = new HashMap<>();
  private BiConsumer<PartyId, Long> arrivals = (p, n) -> {};
  private boolean attached;

  JobInbox(String jobId) {
    this.jobId = jobId;
  }

  synchronized boolean isDuplicate(String messageId) {
    return delivered.contains(messageId);
  }

  /**
   * Queues a complete, checked message once: a known message id is a duplicate (a retry); a
   * sequence number not above the sender's last one is refused (replay or reordering).
   */
  synchronized Outcome deliver(
      PartyId from, String tag, String messageId, long sequence, byte[] payload) {
    if (delivered.contains(messageId)) {
      return Outcome.DUPLICATE;
    }
    Long last = lastSequence.get(from);
    if (last != null && sequence <= last) {
      return Outcome.OUT_OF_ORDER;
    }
    delivered.add(messageId);
    lastSequence.put(from, sequence);
    queue(from, tag).add(payload);
    received.computeIfAbsent(from, k -> new AtomicLong()).addAndGet(payload.length);
    arrivals.accept(from, (long) payload.length);
    return Outcome.DELIVERED;
  }

  synchronized long lastSequence(PartyId from) {
    return lastSequence.getOrDefault(from, 0L);
  }

  /**
   * Binds the job's federation: {@code onArrival} sees every byte count delivered, including those
   * that arrived before.
   *
   * @return false if a federation is attached already
   */
  synchronized boolean attach(BiConsumer<PartyId, Long> onArrival) {
    if (attached) {
      return false;
    }
    attached = true;
    arrivals = onArrival;
    received.forEach((p, n) -> onArrival.accept(p, n.get()));
    return true;
  }

  BlockingQueue<byte[]> queue(PartyId from, String tag) {
    return queues.computeIfAbsent(new Key(from, tag), k -> new LinkedBlockingQueue<>());
  }

  Map<PartyId, Long> receivedBytes() {
    Map<PartyId, Long> out = new TreeMap<>();
    received.forEach((p, n) -> out.put(p, n.get()));
    return out;
  }

  void failPeer(PartyId peer, String reason) {
    failedPeers.putIfAbsent(peer, reason);
  }

  String failure(PartyId peer) {
    return failedPeers.get(peer);
  }

  void abort(String reason) {
    if (abortReason == null) {
      abortReason = reason;
    }
  }

  String abortReason() {
    return abortReason;
  }
}
