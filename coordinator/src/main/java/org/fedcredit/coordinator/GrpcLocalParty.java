package org.fedcredit.coordinator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.RecordingFederation;
import org.fedcredit.modelzoo.job.CoordinatorProgram;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.VerticalJobs;
import org.fedcredit.secagg.paillier.EffectiveParameters;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.transport.grpc.FederationEndpoint;
import org.fedcredit.transport.grpc.GrpcFederation;
import org.fedcredit.transport.grpc.JobAuthorizer;
import org.fedcredit.transport.grpc.PeerAddress;

/**
 * The coordinator's own role in its jobs, over the same gRPC federation as the nodes; also the
 * authoriser of federation messages sent to the coordinator (only for running jobs, only from their
 * parties, never after the job ended).
 */
final class GrpcLocalParty implements LocalParty, JobAuthorizer {

  private record Running(
      GrpcFederation federation,
      RecordingFederation recorder,
      CoordinatorProgram program,
      Set<PartyId> parties) {}

  private final PartyId self;
  private final MeterRegistry registry;
  private FederationEndpoint endpoint;
  private final Map<String, Running> jobs = new ConcurrentHashMap<>();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();

  GrpcLocalParty(PartyId self, MeterRegistry registry) {
    this.self = self;
    this.registry = registry;
  }

  void bind(FederationEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void open(
      String jobId, JobSpec spec, Map<String, String> addresses, ProgressSink progress) {
    Map<PartyId, PeerAddress> peers = new LinkedHashMap<>();
    addresses.forEach(
        (p, a) -> {
          if (!p.equals(self.name())) {
            peers.put(PartyId.of(p), PeerAddress.parse(a));
          }
        });
    GrpcFederation fed =
        GrpcFederation.forJob(
            jobId,
            self,
            peers,
            endpoint,
            GrpcFederation.Options.defaults().withMeterRegistry(registry));
    CoordinatorProgram program =
        VerticalJobs.coordinator(
            spec,
            PaillierEngine.Options.defaults(),
            (epoch, loss, stop) ->
                progress.progress(
                    "train",
                    String.format(
                        Locale.ROOT,
                        "epoch %d: mean Taylor loss %.6f%s",
                        epoch + 1,
                        loss,
                        stop ? " (stop)" : "")));
    jobs.put(
        jobId, new Running(fed, new RecordingFederation(fed), program, Set.copyOf(peers.keySet())));
  }

  @Override
  public Map<String, Object> runStep(String jobId, String step) {
    Running r = jobs.get(jobId);
    if (r == null) {
      throw new IllegalStateException("job " + jobId + " is not open at the coordinator");
    }
    return r.program().runStep(step, r.recorder());
  }

  @Override
  public List<Map<String, Object>> cryptoRounds(String jobId, String step) {
    Running r = jobs.get(jobId);
    if (r == null) {
      return List.of();
    }
    if (!step.equals("train") || r.program().resultIfRun().isEmpty()) {
      r.recorder().drain();
      return List.of();
    }
    EffectiveParameters crypto = r.program().result().crypto();
    return r.recorder()
        .auditRounds(
            step,
            "vertical-lr",
            "decryptor of masked gradients and of the epoch's total loss",
            crypto.asAuditMap(),
            java.util.Optional.of("/loss"));
  }

  @Override
  public void abort(String jobId, String reason) {
    Running r = jobs.get(jobId);
    if (r != null) {
      r.federation().abort(reason);
    }
  }

  @Override
  public void close(String jobId) {
    finished.add(jobId);
    Running r = jobs.remove(jobId);
    if (r != null) {
      try {
        r.federation().close();
      } catch (RuntimeException e) {
        // the job has ended; a send that failed is already part of its outcome
      }
    }
  }

  @Override
  public Decision check(String jobId, PartyId sender) {
    Running r = jobs.get(jobId);
    if (r == null) {
      return Decision.refuse(
          "the coordinator runs no job " + jobId + "; message from " + sender + " refused");
    }
    if (!r.parties().contains(sender)) {
      return Decision.refuse(sender + " is not a party of job " + jobId);
    }
    return Decision.accept();
  }

  @Override
  public boolean isFinished(String jobId) {
    return finished.contains(jobId);
  }
}
