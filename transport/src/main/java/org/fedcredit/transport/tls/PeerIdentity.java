package org.fedcredit.transport.tls;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.Optional;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * The authenticated party calling the current gRPC service method: the subject CN of its TLS client
 * certificate (or, in insecure development mode only, the {@code x-fedcredit-party} header). Set by
 * {@link PeerIdentityInterceptor}; services read it with {@link #current()}.
 */
public final class PeerIdentity {

  static final Context.Key<PartyId> KEY = Context.key("fedcredit-peer-party");

  /** The header that names the caller in insecure development mode (and only there). */
  public static final Metadata.Key<String> INSECURE_HEADER =
      Metadata.Key.of("x-fedcredit-party", Metadata.ASCII_STRING_MARSHALLER);

  private PeerIdentity() {}

  /**
   * The calling party.
   *
   * @throws IllegalStateException outside a call that passed {@link PeerIdentityInterceptor}
   */
  public static PartyId current() {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no authenticated peer in this gRPC context: register the service through"
                        + " GrpcServers (or intercept it with PeerIdentityInterceptor)"));
  }

  /** The calling party, if the current context has one. */
  public static Optional<PartyId> find() {
    return Optional.ofNullable(KEY.get());
  }
}
