package org.fedcredit.coordinator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.CoordinatorProgram;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.VerticalJobs;
import org.fedcredit.secagg.Library;
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
    List<RecordingFederation.Round> rounds = r.recorder().drain();
    if (!step.equals("train") || rounds.isEmpty()) {
      return List.of();
    }
    EffectiveParameters crypto = r.program().result().crypto();
    List<Map<String, Object>> out = new ArrayList<>();
    for (RecordingFederation.Round round : rounds) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", step);
      m.put("round", round.round());
      m.put("protocol", "vertical-lr");
      m.put("role", "decryptor of masked gradients and of the epoch's total loss");
      m.put("crypto", effective(crypto));
      List<Map<String, Object>> received = new ArrayList<>();
      List<Map<String, Object>> aggregate = new ArrayList<>();
      for (Map<String, Object> msg : round.received()) {
        (String.valueOf(msg.get("tag")).endsWith("/loss") ? aggregate : received).add(msg);
      }
      m.put("received", received);
      m.put("aggregate", aggregate);
      m.put("sent", round.sent());
      m.put("dropouts", List.of());
      out.add(m);
    }
    return out;
  }

  /** The effective parameters as an audit map (key_bits, scheme, ...). */
  static Map<String, Object> effective(EffectiveParameters p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scheme", p.scheme());
    m.put("key_bits", p.keyBits());
    m.put("exponent_bits", p.exponentBits());
    m.put("window_bits", p.windowBits());
    m.put("kernel", p.kernel());
    m.put("threads", p.threads());
    m.put("encryption_path", p.encryptionPath());
    m.put("key_id", p.keyId());
    m.put("library", Library.NAME + " " + Library.version());
    return m;
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
