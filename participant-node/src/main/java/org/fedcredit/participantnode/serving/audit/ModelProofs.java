package org.fedcredit.participantnode.serving.audit;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.ModelProofRequest;

/**
 * The proof that a decision's model was released through the coordinator: its {@code
 * model-published} entry in the transparency log with an inclusion proof in a signed checkpoint
 * ({@code fedcredit-audit-proof/1} JSON, checked offline by {@code fedcredit audit proof --proof
 * FILE --public-key FILE}). Fetched from the coordinator once per model and kept.
 */
public final class ModelProofs {

  /** Why there is no proof to show, in words for the page. */
  public static final class Unavailable extends Exception {
    private final boolean unknown;

    Unavailable(String message, boolean unknown) {
      super(message);
      this.unknown = unknown;
    }

    /** True when the coordinator has no release of this model (as opposed to being unreachable). */
    public boolean unknown() {
      return unknown;
    }
  }

  private final CoordinatorServiceGrpc.CoordinatorServiceBlockingStub coordinator;
  private final Map<Decision.ModelRef, String> cache = new ConcurrentHashMap<>();

  public ModelProofs(Channel coordinator) {
    this.coordinator = CoordinatorServiceGrpc.newBlockingStub(coordinator);
  }

  /** The proof JSON of {@code model}'s release. */
  public String proof(Decision.ModelRef model) throws Unavailable {
    String cached = cache.get(model);
    if (cached != null) {
      return cached;
    }
    try {
      String json =
          coordinator
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getModelProof(
                  ModelProofRequest.newBuilder()
                      .setModelJob(model.job())
                      .setModelVersion(model.version())
                      .build())
              .getProofJson();
      cache.put(model, json);
      return json;
    } catch (StatusRuntimeException e) {
      boolean unknown = e.getStatus().getCode() == Status.Code.NOT_FOUND;
      throw new Unavailable(
          unknown
              ? String.valueOf(e.getStatus().getDescription())
              : "the coordinator's audit log cannot be reached now ("
                  + e.getStatus().getCode()
                  + "); try again later",
          unknown);
    }
  }
}
