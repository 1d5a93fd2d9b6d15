package org.fedcredit.participantnode.serving.scoring;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.serving.FeatureModel;
import org.fedcredit.modelzoo.serving.FeaturePart;
import org.fedcredit.modelzoo.serving.ScoringException;
import org.fedcredit.participantnode.policy.ConsentRegistry;
import org.fedcredit.participantnode.serving.EnterpriseIndex;
import org.fedcredit.protocols.serving.v1.PartRequest;
import org.fedcredit.protocols.serving.v1.PartResponse;
import org.fedcredit.protocols.serving.v1.PartyScoringGrpc;
import org.fedcredit.transport.tls.PeerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature party's side of online scoring ({@code PartyScoring.Part}, docs/protocols/serving.md):
 * only the model's label party may ask, only for the job this node serves, only for an enterprise
 * in its data whose consent for the job's purpose is valid today. The answer is the party's part
 * computed by its own shard from its own raw row: per column only if its policy lists the caller.
 */
public final class PartyScoringService extends PartyScoringGrpc.PartyScoringImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(PartyScoringService.class);

  private final PartyId self;
  private final Supplier<ServedFeatureModel> model;
  private final EnterpriseIndex data;
  private final Optional<ConsentRegistry> consent;
  private final Set<String> perColumn;

  /**
   * @param self this node's party
   * @param model the served shard (loaded on first use: it may be published after the node started)
   * @param data the dataset the applicants are looked up in
   * @param consent the consent registry (empty = every enterprise consents; tests only)
   * @param perColumn parties that may receive attributions / split columns per column
   */
  public PartyScoringService(
      PartyId self,
      Supplier<ServedFeatureModel> model,
      EnterpriseIndex data,
      Optional<ConsentRegistry> consent,
      Set<String> perColumn) {
    this.self = Objects.requireNonNull(self, "self");
    this.model = Objects.requireNonNull(model, "model");
    this.data = Objects.requireNonNull(data, "data");
    this.consent = Objects.requireNonNull(consent, "consent");
    this.perColumn = Set.copyOf(perColumn);
  }

  @Override
  public void part(PartRequest req, StreamObserver<PartResponse> out) {
    PartyId caller = PeerIdentity.current();
    ServedFeatureModel served;
    try {
      served = model.get();
    } catch (RuntimeException e) {
      out.onError(Status.UNAVAILABLE.withDescription(self + ": " + e.getMessage()).asException());
      return;
    }
    FeatureModel m = served.model();
    if (!caller.name().equals(served.labelParty())) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  self
                      + " answers scoring requests for model "
                      + m.job()
                      + " only from its label party "
                      + served.labelParty()
                      + ", not from "
                      + caller)
              .asException());
      return;
    }
    if (!req.getJob().equals(m.job())) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  self
                      + " serves model "
                      + m.job()
                      + ", not "
                      + req.getJob()
                      + "; configure serving.model on both nodes to the same job")
              .asException());
      return;
    }
    String id = req.getEnterpriseId();
    if (consent.isPresent()
        && !consent.get().permits(id, served.purpose(), LocalDate.now(java.time.ZoneOffset.UTC))) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  self + " holds no valid consent of enterprise " + id + " for " + served.purpose())
              .asException());
      return;
    }
    Optional<Map<String, Double>> row = data.row(id);
    if (row.isEmpty()) {
      out.onError(
          Status.NOT_FOUND
              .withDescription(self + " has no data on enterprise " + id)
              .asException());
      return;
    }
    boolean disclose = perColumn.contains(caller.name());
    FeaturePart part;
    try {
      part = m.part(row.get(), disclose);
    } catch (ScoringException e) {
      LOG.warn("{}: cannot score enterprise {}: {}", self, id, e.getMessage());
      out.onError(
          Status.INTERNAL
              .withDescription(self + " cannot compute its part: " + e.getMessage())
              .asException());
      return;
    }
    out.onNext(PartMessages.toProto(m.job(), part, disclose));
    out.onCompleted();
  }
}
