package org.fedcredit.modelzoo.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.lr.CoordinatorRole;
import org.fedcredit.protocols.lr.v1.TrainingSize;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * The coordinator's part of a vertical LR job (and of a scorecard job, whose LR it is): in {@code
 * train} it learns the number of training rows from the bank, makes a fresh key and runs {@link
 * CoordinatorRole} (decrypts only masked gradients and the epoch's total loss). It has nothing to
 * do in the other steps.
 */
public final class CoordinatorProgram implements VerticalJobParty {

  private final JobSpec spec;
  private final PaillierEngine.Options engine;
  private final CoordinatorRole.EpochListener listener;
  private CoordinatorRole.Result result;

  public CoordinatorProgram(
      JobSpec spec, PaillierEngine.Options engine, CoordinatorRole.EpochListener listener) {
    this.spec = spec;
    this.engine = engine;
    this.listener = listener;
  }

  @Override
  public Map<String, Object> runStep(String step, Federation fed) {
    VerticalJobParty.requireKnown(step);
    Map<String, Object> out = new LinkedHashMap<>();
    if (step.equals("train") && spec.trainsLr()) {
      PartyId bank = PartyId.of(spec.labelParty().name());
      List<PartyId> providers =
          spec.featureParties().stream().map(p -> PartyId.of(p.name())).toList();
      int rows =
          fed.receive(bank, LabelPartyProgram.TRAINING_SIZE, TrainingSize.class).getTrainRows();
      result =
          new CoordinatorRole(fed, bank, providers, rows, spec.train(), engine)
              .onEpoch(listener)
              .run();
      out.put("epochs_run", result.epochsRun());
      out.put("stop_reason", result.stopReason());
      out.put("epoch_losses", result.epochLosses());
      out.put("crypto", result.crypto());
    }
    return out;
  }

  /** The training result, if {@code train} ran LR here. */
  public java.util.Optional<CoordinatorRole.Result> resultIfRun() {
    return java.util.Optional.ofNullable(result);
  }

  /** The training result, after {@code train}. */
  public CoordinatorRole.Result result() {
    if (result == null) {
      throw new IllegalStateException("the train step has not run");
    }
    return result;
  }
}
