package org.fedcredit.transport.tls;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedcredit.modelzoo.federation.PartyId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node talks gRPC: {@link MutualTls} (the default and the only mode between real
 * institutions: both sides present a certificate of the private CA and trust nothing else) or
 * {@link InsecureDev} (plaintext, the caller's identity taken on trust from a header; chosen only
 * by an explicit {@code insecureDev = true}, and announced by one WARN line per JVM).
 */
public sealed interface TransportSecurity
    permits TransportSecurity.MutualTls, TransportSecurity.InsecureDev {

  /** The text of the warning logged (once per JVM) when plaintext mode is chosen. */
  String INSECURE_WARNING =
      "INSECURE: plaintext gRPC without authentication (--insecure-dev); never use outside"
          + " development";

  /** The party this node is: the subject CN of its certificate, or the configured id. */
  PartyId self();

  /** Mutual TLS with the node's checked identity. */
  record MutualTls(TlsIdentity.Loaded identity) implements TransportSecurity {
    public MutualTls {
      Objects.requireNonNull(identity, "identity");
    }

    @Override
    public PartyId self() {
      return identity.party();
    }
  }

  /** Plaintext for development: no encryption, no authentication. */
  record InsecureDev(PartyId self) implements TransportSecurity {
    public InsecureDev {
      Objects.requireNonNull(self, "self");
      InsecureWarning.once();
    }
  }

  /** Loads and checks {@code identity} (see {@link TlsIdentity#load()}). */
  static TransportSecurity mutualTls(TlsIdentity identity) {
    return new MutualTls(identity.load());
  }

  /**
   * What a node's configuration asks for: mutual TLS with {@code tls}, or plaintext only when
   * {@code insecureDev} is true.
   *
   * @param self the party id the node is configured as; a certificate for another party is refused
   * @throws TlsSetupException if neither or both are given, or the certificate is not {@code
   *     self}'s
   */
  static TransportSecurity select(PartyId self, Optional<TlsIdentity> tls, boolean insecureDev) {
    if (insecureDev && tls.isPresent()) {
      throw new TlsSetupException(
          "both a TLS identity and --insecure-dev are configured for "
              + self
              + "; remove --insecure-dev (mutual TLS is the default)");
    }
    if (insecureDev) {
      return new InsecureDev(self);
    }
    if (tls.isEmpty()) {
      throw new TlsSetupException(
          "no TLS identity configured for "
              + self
              + ": give the CA certificate, the node certificate and its key (create them with"
              + " `fedcredit certs init` and `fedcredit certs issue --party "
              + self
              + "`), or --insecure-dev for development only");
    }
    MutualTls m = new MutualTls(tls.get().load());
    if (!m.self().equals(self)) {
      throw new TlsSetupException(
          "certificate "
              + tls.get().certificate()
              + " is for party '"
              + m.self()
              + "' but this node is configured as '"
              + self
              + "'");
    }
    return m;
  }
}

/** Logs {@link TransportSecurity#INSECURE_WARNING} once per JVM. */
final class InsecureWarning {
  private static final Logger LOG = LoggerFactory.getLogger(TransportSecurity.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private InsecureWarning() {}

  static void once() {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.warn(TransportSecurity.INSECURE_WARNING);
    }
  }

  static boolean logged() {
    return LOGGED.get();
  }
}
