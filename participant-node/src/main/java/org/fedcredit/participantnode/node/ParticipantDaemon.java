package org.fedcredit.participantnode.node;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedcredit.coordinator.translog.CosignatureMessages;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.policy.ConsentRegistry;
import org.fedcredit.participantnode.serving.scoring.ServingRuntime;
import org.fedcredit.participantnode.witness.Witness;
import org.fedcredit.participantnode.witness.WitnessException;
import org.fedcredit.protocols.coordinator.v1.ConsistencyProofRequest;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.HeartbeatRequest;
import org.fedcredit.protocols.coordinator.v1.PartyDecision;
import org.fedcredit.protocols.coordinator.v1.RegisterPartyRequest;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.transport.ReadyMarker;
import org.fedcredit.transport.grpc.FederationEndpoint;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.GrpcFederation;
import org.fedcredit.transport.grpc.GrpcServers;
import org.fedcredit.transport.grpc.JobAuthorizer;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.metrics.MetricsHttpServer;
import org.fedcredit.transport.metrics.NodeMetrics;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant node: one JVM per institution. It serves the participant and federation services
 * over gRPC with mutual TLS, registers with the coordinator and sends heartbeats, decides on jobs
 * by its own policy, runs their steps on its own data, and keeps its model shards in its work
 * directory. {@code ready.json} in the work directory says it is up (port, pid).
 */
public final class ParticipantDaemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ParticipantDaemon.class);

  /** The coordinator's party id (the CN of its certificate). */
  public static final PartyId COORDINATOR = PartyId.of("coordinator");

  private final NodeConfig config;
  private final TransportSecurity security;
  private final NodeMetrics metrics;
  private final MetricsHttpServer metricsServer;
  private final GrpcServers.RunningServer server;
  private final ManagedChannel coordinatorChannel;
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final NodeJobs jobs;
  private final Witness witness;
  private final Optional<ServingRuntime> serving;

  private ParticipantDaemon(NodeConfig config, boolean insecureDev) {
    this.config = config;
    this.security =
        TransportSecurity.select(
            config.party(),
            insecureDev
                ? Optional.empty()
                : Optional.of(
                    new TlsIdentity(config.tls().ca(), config.tls().cert(), config.tls().key())),
            insecureDev);
    try {
      Files.createDirectories(config.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create work_dir " + config.workDir() + ": " + e.getMessage(), e);
    }
    this.witness = witness(config, security);
    this.metrics = new NodeMetrics(config.party().name()).trackPaillierEngine();
    Optional<ConsentRegistry> consent = Optional.of(ConsentRegistry.load(config.consent()));
    JobAuthorizer[] authorizer = new JobAuthorizer[1];
    FederationEndpoint endpoint =
        new FederationEndpoint(
            security,
            new JobAuthorizer() {
              @Override
              public Decision check(String jobId, PartyId sender) {
                return authorizer[0].check(jobId, sender);
              }

              @Override
              public boolean isFinished(String jobId) {
                return authorizer[0].isFinished(jobId);
              }
            });
    this.jobs =
        new NodeJobs(
            new NodeJobs.Context(
                config.party(),
                COORDINATOR,
                config.file().getParent(),
                config.workDir(),
                config.datasets(),
                config.policy(),
                consent,
                federations(endpoint),
                PaillierEngine.Options.defaults(),
                insecureDev,
                metrics::recordStep));
    authorizer[0] = jobs;
    GrpcServers.Builder grpc =
        GrpcServers.builder(security)
            .bindHost(config.listen().host())
            .port(config.listen().port())
            .addService(
                new ParticipantGrpcService(
                    jobs, config.party(), this::reportDecision, COORDINATOR, this::witness))
            .addService(endpoint.service());
    this.serving =
        config.serving().map(s -> ServingRuntime.install(config, s, security, consent, grpc));
    try {
      this.server = grpc.start();
    } catch (RuntimeException e) {
      serving.ifPresent(ServingRuntime::close);
      throw e;
    }
    this.metricsServer =
        config.metrics().enabled()
            ? MetricsHttpServer.start(metrics, config.metrics().host(), config.metrics().port())
                .healthCheck("coordinator-link", this::coordinatorLink)
            : null;
    this.coordinatorChannel =
        GrpcChannels.forPeer(
            security,
            COORDINATOR,
            new PeerAddress(config.coordinator().host(), config.coordinator().port()));
    serving.ifPresent(s -> s.connect(coordinatorChannel));
  }

  /** The witness of the coordinator's log; its state is in {@code work_dir/witness}. */
  private static Witness witness(NodeConfig config, TransportSecurity security) {
    Optional<Witness.Cosigner> cosigner = Optional.empty();
    Optional<java.security.cert.X509Certificate> ca = Optional.empty();
    if (security instanceof TransportSecurity.MutualTls m) {
      cosigner =
          Optional.of(
              new Witness.Cosigner(
                  m.identity().party().name(), m.identity().certificate(), m.identity().key()));
      ca = Optional.of(m.identity().caCertificate());
    }
    try {
      return Witness.open(
          config.workDir().resolve("witness"),
          config.coordinatorLogKey(),
          cosigner,
          ca,
          java.time.Clock.systemUTC());
    } catch (Witness.WitnessStateException e) {
      throw new NodeStartException(e.getMessage());
    }
  }

  /** Witnesses a step request's checkpoint; the step is refused if the check fails. */
  private Optional<org.fedcredit.protocols.participant.v1.Cosignature> witness(StepRequest req) {
    try {
      return witness
          .witness(
              req.getCheckpoint(),
              req.getLogKey(),
              req.getCosignaturesList().stream().map(CosignatureMessages::fromMessage).toList(),
              this::consistencyProof)
          .map(CosignatureMessages::toMessage);
    } catch (WitnessException e) {
      LOG.error(
          "{} refuses step {} of job {}: {}",
          config.party(),
          req.getStep(),
          req.getJobId(),
          e.getMessage());
      throw new NodeJobs.RefusedException(
          config.party() + " refuses the audit log checkpoint: " + e.getMessage());
    }
  }

  private List<byte[]> consistencyProof(long oldSize, long newSize) throws WitnessException {
    StatusRuntimeException last = null;
    // Wait for the channel rather than fail fast, and try again when the connection broke under
    // the call: after a coordinator restart the node's connection is re-established on demand, and
    // "could not reach the coordinator" is no evidence of a fork.
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return CoordinatorServiceGrpc.newBlockingStub(coordinatorChannel)
            .withWaitForReady()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getConsistencyProof(
                ConsistencyProofRequest.newBuilder()
                    .setOldSize(oldSize)
                    .setNewSize(newSize)
                    .build())
            .getHashesList()
            .stream()
            .map(com.google.protobuf.ByteString::toByteArray)
            .toList();
      } catch (StatusRuntimeException e) {
        last = e;
        if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
          break;
        }
        try {
          Thread.sleep(250L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new WitnessException(
        "the coordinator gave no consistency proof from size "
            + oldSize
            + " to "
            + newSize
            + ": "
            + last.getStatus().getCode()
            + " "
            + last.getStatus().getDescription());
  }

  private JobFederations federations(FederationEndpoint endpoint) {
    return (jobId, addresses) -> {
      Map<PartyId, PeerAddress> peers = new LinkedHashMap<>();
      addresses.forEach((p, a) -> peers.put(p, PeerAddress.parse(a)));
      GrpcFederation fed =
          GrpcFederation.forJob(
              jobId,
              config.party(),
              peers,
              endpoint,
              GrpcFederation.Options.defaults().withMeterRegistry(metrics.registry()));
      return new JobFederations.Opened() {
        @Override
        public Federation federation() {
          return fed;
        }

        @Override
        public void abort(String reason) {
          fed.abort(reason);
        }

        @Override
        public Map<String, Long> bytesSent() {
          Map<String, Long> out = new LinkedHashMap<>();
          fed.bytesSent().forEach((k, v) -> out.put(k.name(), v));
          return out;
        }

        @Override
        public void close() {
          fed.close();
        }
      };
    };
  }

  /** Starts the node and registers it with the coordinator (waiting for it up to a minute). */
  public static ParticipantDaemon start(NodeConfig config, boolean insecureDev) {
    ParticipantDaemon d = new ParticipantDaemon(config, insecureDev);
    try {
      d.register(Duration.ofSeconds(60));
      int every = config.heartbeatSeconds();
      d.heartbeats.scheduleAtFixedRate(d::heartbeat, every, every, TimeUnit.SECONDS);
      d.writeReady();
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  public int port() {
    return server.port();
  }

  /** The online-scoring part of this node, if {@code serving:} is configured. */
  public Optional<ServingRuntime> serving() {
    return serving;
  }

  private String address() {
    String host = config.listen().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return host + ":" + server.port();
  }

  private void register(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        CoordinatorServiceGrpc.newBlockingStub(coordinatorChannel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .registerParty(RegisterPartyRequest.newBuilder().setAddress(address()).build());
        LOG.info(
            "{} registered with the coordinator at {} (listening on {})",
            config.party(),
            config.coordinator(),
            address());
        return;
      } catch (StatusRuntimeException e) {
        boolean retry = e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE;
        if (!retry || System.nanoTime() > deadline) {
          throw new NodeStartException(
              "cannot register with the coordinator at "
                  + config.coordinator()
                  + ": "
                  + (e.getStatus().getDescription() == null
                      ? e.getStatus().getCode()
                      : e.getStatus().getDescription()));
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new NodeStartException("interrupted while registering with the coordinator");
        }
      }
    }
  }

  private volatile long lastHeartbeatOk = System.nanoTime();

  /** Healthy while heartbeats reach the coordinator (none missed for three intervals). */
  private org.fedcredit.transport.metrics.HealthCheck.Result coordinatorLink() {
    long silent = (System.nanoTime() - lastHeartbeatOk) / 1_000_000_000L;
    return silent <= 3L * config.heartbeatSeconds()
        ? org.fedcredit.transport.metrics.HealthCheck.Result.up(
            "last heartbeat " + silent + " s ago")
        : org.fedcredit.transport.metrics.HealthCheck.Result.down(
            "no heartbeat reached the coordinator at "
                + config.coordinator()
                + " for "
                + silent
                + " s");
  }

  private void heartbeat() {
    try {
      HeartbeatRequest.Builder b = HeartbeatRequest.newBuilder();
      jobs.running().ifPresent(r -> b.setJobId(r[0]).setStep(r[1]).setProgress(r[2]));
      CoordinatorServiceGrpc.newBlockingStub(coordinatorChannel)
          .withDeadlineAfter(Math.max(2, config.heartbeatSeconds()), TimeUnit.SECONDS)
          .heartbeat(b.build());
      lastHeartbeatOk = System.nanoTime();
    } catch (StatusRuntimeException e) {
      LOG.warn("heartbeat to the coordinator failed: {}", e.getStatus());
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  private void reportDecision(String jobId, boolean accept, String reason) {
    CoordinatorServiceGrpc.newBlockingStub(coordinatorChannel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .reportDecision(
            PartyDecision.newBuilder().setJobId(jobId).setAccept(accept).setReason(reason).build());
  }

  private void writeReady() {
    ReadyMarker.write(config.workDir(), config.party(), server.port());
  }

  /** Blocks until the server terminates (on {@link #close} or JVM shutdown). */
  public void awaitTermination() throws InterruptedException {
    server.server().awaitTermination();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    ReadyMarker.remove(config.workDir());
    server.close();
    // Serving stops its decision API, then reports the decisions not yet in the coordinator's
    // audit log over the coordinator channel, which closes last.
    serving.ifPresent(ServingRuntime::close);
    coordinatorChannel.shutdownNow();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
  }

  /** The node could not start; the message says why and what to check. */
  public static final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
      super(message);
    }
  }
}
