package org.fedcredit.transport.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * Netty {@link SslContext}s for mutual TLS over the private CA. Both sides trust only the CA in the
 * identity (never the JVM's default trust store); the server requires a client certificate; the
 * client additionally requires the server's certificate to name the party it meant to reach, so a
 * wrong address in a configuration cannot hand a message to another institution.
 */
public final class TlsContexts {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsContexts() {}

  /** The server side: presents the node's certificate, requires one from the CA of the client. */
  public static SslContext server(TlsIdentity.Loaded identity) {
    try {
      return GrpcSslContexts.configure(
              io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(
                  identity.key(), identity.certificate()))
          .trustManager(caTrustManager(identity.caCertificate()))
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new TlsSetupException(
          "cannot build the TLS server context of " + identity.party() + ": " + e.getMessage(), e);
    }
  }

  /** The client side towards {@code expectedServer}: whose certificate CN must be that party. */
  public static SslContext client(TlsIdentity.Loaded identity, PartyId expectedServer) {
    try {
      return GrpcSslContexts.forClient()
          .keyManager(identity.key(), identity.certificate())
          .trustManager(
              new ExpectedPartyTrustManager(
                  caTrustManager(identity.caCertificate()), expectedServer))
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new TlsSetupException(
          "cannot build the TLS client context of " + identity.party() + ": " + e.getMessage(), e);
    }
  }

  /** A PKIX trust manager whose only anchor is {@code ca}. */
  static X509ExtendedTrustManager caTrustManager(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("fedcredit-ca", ca);
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new TlsSetupException("the JVM has no PKIX X509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsSetupException("cannot build a trust store of the CA: " + e.getMessage(), e);
    }
  }

  /** The CA's checks, then: the server's certificate names the expected party. */
  static final class ExpectedPartyTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final PartyId expected;

    ExpectedPartyTrustManager(X509ExtendedTrustManager delegate, PartyId expected) {
      this.delegate = delegate;
      this.expected = expected;
    }

    private void requireExpected(X509Certificate[] chain) throws CertificateException {
      String cn = Pem.commonName(chain[0]);
      if (!expected.name().equals(cn)) {
        throw new CertificateException(
            "the server presented a certificate for '" + cn + "', expected '" + expected + "'");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
      requireExpected(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
      requireExpected(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      requireExpected(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
