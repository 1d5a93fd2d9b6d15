package org.fedcredit.transport.grpc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;

/**
 * Real nodes on loopback for tests: a private CA in a temporary directory, one certificate, one
 * {@link FederationEndpoint} and one mTLS server on an ephemeral port per party.
 */
final class TestNodes implements AutoCloseable {

  record Node(
      PartyId party,
      TlsIdentity identity,
      TransportSecurity security,
      AcceptedJobs jobs,
      FederationEndpoint endpoint,
      GrpcServers.RunningServer server) {

    PeerAddress address() {
      return new PeerAddress("127.0.0.1", server.port());
    }
  }

  final Path caDir;
  final Map<PartyId, Node> nodes = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  TestNodes(Path caDir, String... parties) {
    this.caDir = caDir;
    CertificateAuthority.init(caDir);
    for (String p : parties) {
      TlsIdentity id = CertificateAuthority.issue(caDir, p);
      start(TransportSecurity.mutualTls(id), id);
    }
  }

  /** Nodes in plaintext development mode (no CA). */
  static TestNodes insecure(String... parties) {
    TestNodes n = new TestNodes();
    for (String p : parties) {
      n.start(new TransportSecurity.InsecureDev(PartyId.of(p)), null);
    }
    return n;
  }

  private TestNodes() {
    this.caDir = null;
  }

  private void start(TransportSecurity security, TlsIdentity id) {
    AcceptedJobs jobs = new AcceptedJobs();
    FederationEndpoint endpoint = new FederationEndpoint(security, jobs);
    GrpcServers.RunningServer server =
        GrpcServers.builder(security).bindHost("127.0.0.1").addService(endpoint.service()).start();
    closeables.add(server);
    nodes.put(security.self(), new Node(security.self(), id, security, jobs, endpoint, server));
  }

  Node node(String party) {
    return nodes.get(PartyId.of(party));
  }

  /** Every node accepts {@code jobId} with {@code parties}. */
  void acceptEverywhere(String jobId, Set<PartyId> parties) {
    for (Node n : nodes.values()) {
      n.jobs().accept(jobId, parties);
    }
  }

  /** Every node but {@code self}, as peers. */
  Map<PartyId, PeerAddress> peersOf(PartyId self) {
    Map<PartyId, PeerAddress> peers = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      if (!n.party().equals(self)) {
        peers.put(n.party(), n.address());
      }
    }
    return peers;
  }

  GrpcFederation federation(String party, String jobId, GrpcFederation.Options options) {
    PartyId self = PartyId.of(party);
    GrpcFederation f =
        GrpcFederation.forJob(jobId, self, peersOf(self), nodes.get(self).endpoint(), options);
    closeables.add(0, () -> closeQuietly(f));
    return f;
  }

  private static void closeQuietly(GrpcFederation f) {
    try {
      f.close();
    } catch (RuntimeException e) {
      // A test that expects a failure has already asserted it.
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }
}
