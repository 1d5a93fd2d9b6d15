package org.fedcredit.modelzoo.federation;

import com.google.protobuf.Message;

/**
 * The only way a role program talks to other parties (DESIGN.md §4). Messages are protobuf; a tag
 * names the message within the job ({@code step/round/name}, e.g. {@code psi/0/blinded-ids}), and a
 * message is delivered once, in order per (sender, receiver, tag).
 *
 * <p>Implementations: {@link InMemoryFederation} (all parties in one JVM; tests, simulation,
 * benchmarks) and {@code org.fedcredit.transport.grpc.GrpcFederation} (the nodes, over gRPC with
 * mutual TLS). The same role code runs on both.
 */
public interface Federation {

  /** The party this endpoint speaks for. */
  PartyId self();

  /**
   * Sends {@code payload} to {@code to} under {@code tag}. Does not wait for the receiver.
   *
   * @throws FederationException if the peer is unknown or the transport failed
   */
  void send(PartyId to, String tag, Message payload);

  /**
   * Waits for the message {@code from} sent under {@code tag} and parses it as {@code type}.
   *
   * @throws FederationException on timeout (naming the peer and tag), a peer that failed, or a
   *     payload that does not parse as {@code type}
   */
  <T extends Message> T receive(PartyId from, String tag, Class<T> type);
}
