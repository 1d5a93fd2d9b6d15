package org.fedcredit.transport.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * Puts the caller's {@link PartyId} into the gRPC {@link Context} ({@link PeerIdentity#current()})
 * for every call, or refuses the call with UNAUTHENTICATED. Under mutual TLS the id is the subject
 * CN of the verified client certificate; a header claiming an identity is ignored. Only under
 * {@link TransportSecurity.InsecureDev} is it read from the {@code x-fedcredit-party} header (a
 * call without it passes anonymously, for health probes; {@link PeerIdentity#find()} is then
 * empty).
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {

  private final boolean insecureDev;

  /** The interceptor matching the server's {@code security}. */
  public PeerIdentityInterceptor(TransportSecurity security) {
    this.insecureDev = security instanceof TransportSecurity.InsecureDev;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    PartyId peer;
    try {
      if (insecureDev) {
        String claimed = headers.get(PeerIdentity.INSECURE_HEADER);
        if (claimed == null) {
          // An anonymous call (e.g. a health probe); services that need a caller refuse it.
          return next.startCall(call, headers);
        }
        peer = PartyId.of(claimed);
      } else {
        peer = fromCertificate(call);
      }
    } catch (IllegalArgumentException e) {
      call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(PeerIdentity.KEY, peer), call, headers, next);
  }

  private static PartyId fromCertificate(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      throw new IllegalArgumentException("no TLS session: this server requires mutual TLS");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new IllegalArgumentException("the client presented no verified certificate");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new IllegalArgumentException("the client presented no X.509 certificate");
    }
    String cn = Pem.commonName(leaf);
    try {
      return PartyId.of(cn);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("client certificate CN '" + cn + "': " + e.getMessage());
    }
  }
}
