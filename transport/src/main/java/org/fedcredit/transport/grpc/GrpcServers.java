package org.fedcredit.transport.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.fedcredit.transport.tls.PeerIdentityInterceptor;
import org.fedcredit.transport.tls.TlsContexts;
import org.fedcredit.transport.tls.TransportSecurity;

/**
 * Builds a node's gRPC server: Netty, mutual TLS with the node's identity (or plaintext under
 * {@link TransportSecurity.InsecureDev}), the {@link PeerIdentityInterceptor} on every service, the
 * standard gRPC health service ({@code grpc.health.v1.Health}, SERVING once started) and the
 * services given, e.g. a {@link FederationEndpoint#service()}.
 *
 * <pre>{@code
 * try (GrpcServers.RunningServer server =
 *     GrpcServers.builder(security).port(7001).addService(endpoint.service()).start()) { ... }
 * }</pre>
 */
public final class GrpcServers {

  private GrpcServers() {}

  /** A builder for a server secured by {@code security}. */
  public static Builder builder(TransportSecurity security) {
    return new Builder(security);
  }

  /** Collects the port, bind address and services; {@link #start()} starts the server. */
  public static final class Builder {
    private final TransportSecurity security;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private String bindHost = "0.0.0.0";
    private int port;

    private Builder(TransportSecurity security) {
      this.security = Objects.requireNonNull(security, "security");
    }

    /**
     * The port to listen on; 0 (the default) picks a free one, see {@link RunningServer#port()}.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The local address to bind (default {@code 0.0.0.0}, all interfaces). */
    public Builder bindHost(String host) {
      this.bindHost = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder addService(BindableService service) {
      services.add(service.bindService());
      return this;
    }

    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws TransportException if the address cannot be bound
     */
    public RunningServer start() {
      NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, port));
      if (security instanceof TransportSecurity.MutualTls m) {
        b.sslContext(TlsContexts.server(m.identity()));
      }
      HealthStatusManager health = new HealthStatusManager();
      b.addService(health.getHealthService());
      services.forEach(b::addService);
      b.intercept(new PeerIdentityInterceptor(security));
      Server server = b.build();
      try {
        server.start();
      } catch (IOException e) {
        throw new TransportException(
            "cannot listen on "
                + bindHost
                + ":"
                + port
                + " for "
                + security.self()
                + ": "
                + e.getMessage()
                + "; choose another port or stop the process holding it",
            e);
      }
      health.setStatus("", ServingStatus.SERVING);
      for (ServerServiceDefinition s : services) {
        health.setStatus(s.getServiceDescriptor().getName(), ServingStatus.SERVING);
      }
      return new RunningServer(server, health);
    }
  }

  /** A started server; {@link #close()} stops it (NOT_SERVING, then a graceful shutdown). */
  public static final class RunningServer implements AutoCloseable {
    private final Server server;
    private final HealthStatusManager health;

    private RunningServer(Server server, HealthStatusManager health) {
      this.server = server;
      this.health = health;
    }

    /** The bound port (the ephemeral one when built with port 0). */
    public int port() {
      return server.getPort();
    }

    /** The health status manager, e.g. to report NOT_SERVING while draining. */
    public HealthStatusManager health() {
      return health;
    }

    public Server server() {
      return server;
    }

    /** Stops taking calls, waits up to 5 s for running ones, then cuts them. */
    @Override
    public void close() {
      health.enterTerminalState();
      server.shutdown();
      try {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
