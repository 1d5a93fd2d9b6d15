package org.fedcredit.coordinator;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.LogKeys;
import org.fedcredit.coordinator.audit.web.ComplianceWebServer;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.transport.ReadyMarker;
import org.fedcredit.transport.grpc.FederationEndpoint;
import org.fedcredit.transport.grpc.GrpcServers;
import org.fedcredit.transport.metrics.HealthCheck;
import org.fedcredit.transport.metrics.MetricsHttpServer;
import org.fedcredit.transport.metrics.NodeMetrics;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator process: the job API over gRPC with mutual TLS, the relational store (jobs,
 * events, parties, models; embedded H2 by default), the scheduler, its own federation endpoint (it
 * is the neutral decryptor in vertical LR), and metrics. On start, jobs that were running when it
 * last stopped are marked failed — their history stays.
 */
public final class CoordinatorDaemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorDaemon.class);
  static final Context.Key<String> CERT_SHA256 = Context.key("fedcredit-cert-sha256");

  private final CoordinatorConfig config;
  private final CoordinatorStore store;
  private final AuditLog audit;
  private final NodeMetrics metrics;
  private final GrpcParticipants participants;
  private final JobScheduler scheduler;
  private final GrpcServers.RunningServer server;
  private final MetricsHttpServer metricsServer;
  private final ComplianceWebServer complianceWeb;

  private CoordinatorDaemon(CoordinatorConfig config, boolean insecureDev) {
    this.config = config;
    TransportSecurity security =
        TransportSecurity.select(
            config.party(),
            config.tls().map(t -> new TlsIdentity(t.ca(), t.cert(), t.key())),
            insecureDev);
    try {
      Files.createDirectories(config.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create work_dir " + config.workDir() + ": " + e.getMessage(), e);
    }
    this.store =
        CoordinatorStore.open(
            config
                .store()
                .map(
                    s ->
                        StoreConfig.of(
                            s.url(), s.user(), s.passwordEnv().map(System::getenv).orElse("")))
                .orElse(StoreConfig.embedded(config.workDir())));
    this.audit =
        AuditLog.open(store, LogKeys.loadOrCreate(config.audit().key(), config.audit().origin()));
    this.metrics = new NodeMetrics(config.party().name()).trackPaillierEngine();
    this.participants = new GrpcParticipants(security);
    GrpcLocalParty local = new GrpcLocalParty(config.party(), metrics.registry());
    FederationEndpoint endpoint = new FederationEndpoint(security, local);
    local.bind(endpoint);
    this.scheduler =
        new JobScheduler(
            store,
            participants,
            local,
            config.party().name(),
            config.partyTimeout(),
            config.approvalTimeout(),
            Clock.systemUTC(),
            new AuditTrail(audit, store, Clock.systemUTC()));
    scheduler.failInterruptedJobs();
    scheduler.onStepTimed(metrics::recordStep);
    metrics.jobsByState(
        () -> {
          Map<String, Long> out = new TreeMap<>();
          store.jobsByState().forEach((k, v) -> out.put(k.name().toLowerCase(), v));
          return out;
        });
    CoordinatorGrpcService api =
        new CoordinatorGrpcService(
            store,
            scheduler,
            config.parties(),
            2,
            Clock.systemUTC(),
            () -> {
              String s = CERT_SHA256.get();
              return s == null ? "0".repeat(64) : s;
            });
    this.server =
        GrpcServers.builder(security)
            .bindHost(config.host())
            .port(config.port())
            .addService(ServerInterceptors.intercept(api, new CertificateFingerprint()))
            .addService(endpoint.service())
            .start();
    scheduler.advertise(advertisedHost(config.host()) + ":" + server.port());
    this.metricsServer =
        config.metricsPort() > 0
            ? MetricsHttpServer.start(metrics, config.metricsHost(), config.metricsPort())
                .healthCheck(
                    "store",
                    () -> {
                      try {
                        store.jobsByState();
                        return HealthCheck.Result.up("store reachable");
                      } catch (RuntimeException e) {
                        return HealthCheck.Result.down(e.getMessage());
                      }
                    })
            : null;
    this.complianceWeb =
        config.audit().webPort() > 0
            ? ComplianceWebServer.start(
                audit, store, config.audit().webHost(), config.audit().webPort())
            : null;
    LOG.info("coordinator {} listening on {}:{}", config.party(), config.host(), server.port());
  }

  /** The host name to give peers: the listen host, or this machine's name for a wildcard. */
  static String advertisedHost(String listenHost) {
    if (!listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
      return listenHost;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /** Starts the coordinator; {@code ready.json} in its work directory says it is up. */
  public static CoordinatorDaemon start(CoordinatorConfig config, boolean insecureDev) {
    CoordinatorDaemon d = new CoordinatorDaemon(config, insecureDev);
    d.writeReady();
    return d;
  }

  public int port() {
    return server.port();
  }

  public CoordinatorStore store() {
    return store;
  }

  /** The compliance page, when {@code audit.web.port} > 0. */
  public java.util.Optional<ComplianceWebServer> complianceWeb() {
    return java.util.Optional.ofNullable(complianceWeb);
  }

  /** The transparency log. */
  public AuditLog audit() {
    return audit;
  }

  private void writeReady() {
    ReadyMarker.write(config.workDir(), config.party(), server.port());
  }

  public void awaitTermination() throws InterruptedException {
    server.server().awaitTermination();
  }

  /** Where the coordinator writes its audit log export when it stops. */
  public static Path exportFile(CoordinatorConfig config) {
    return config.workDir().resolve("audit").resolve("export.json");
  }

  @Override
  public void close() {
    ReadyMarker.remove(config.workDir());
    if (complianceWeb != null) {
      complianceWeb.close();
    }
    server.close();
    scheduler.close();
    try {
      audit.exportTo(exportFile(config));
      LOG.info("audit log ({} entries) exported to {}", audit.size(), exportFile(config));
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot export the audit log to {}: {}", exportFile(config), e.getMessage());
    }
    participants.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
    store.close();
  }

  /** Puts the SHA-256 of the caller's TLS certificate into the call context. */
  private static final class CertificateFingerprint implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      String sha = null;
      if (ssl != null) {
        try {
          Certificate[] chain = ssl.getPeerCertificates();
          sha =
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        } catch (SSLPeerUnverifiedException
            | CertificateEncodingException
            | NoSuchAlgorithmException e) {
          sha = null;
        }
      }
      return Contexts.interceptCall(
          Context.current().withValue(CERT_SHA256, sha), call, headers, next);
    }
  }
}
