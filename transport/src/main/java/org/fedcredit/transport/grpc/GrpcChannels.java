package org.fedcredit.transport.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.transport.tls.PeerIdentity;
import org.fedcredit.transport.tls.TlsContexts;
import org.fedcredit.transport.tls.TransportSecurity;

/**
 * Client channels from this node to a peer node. Under mutual TLS the channel presents this node's
 * certificate and accepts only a server certificate of the private CA naming {@code peer}; under
 * {@link TransportSecurity.InsecureDev} it is plaintext and names this node in the {@code
 * x-fedcredit-party} header.
 */
public final class GrpcChannels {

  private GrpcChannels() {}

  /** A channel to {@code peer} at {@code address}; the caller shuts it down. */
  public static ManagedChannel forPeer(
      TransportSecurity security, PartyId peer, PeerAddress address) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(address.host(), address.port());
    if (security instanceof TransportSecurity.MutualTls m) {
      b.sslContext(TlsContexts.client(m.identity(), peer));
    } else {
      Metadata self = new Metadata();
      self.put(PeerIdentity.INSECURE_HEADER, security.self().name());
      b.usePlaintext().intercept(MetadataUtils.newAttachHeadersInterceptor(self));
    }
    return b.build();
  }
}
