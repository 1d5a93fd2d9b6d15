package org.fedcredit.modelzoo.job;

import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.federation.Federation;

/**
 * One party's part of a vertical job (vertical LR, SecureBoost or the scorecard), run one step at a
 * time so that a scheduler can start step k on every party, wait for all of them, and report
 * "running step k". The same programs run in one process ({@code fedcredit run --simulate}, over an
 * in-memory federation) and on the nodes (over gRPC); only the {@link Federation} differs, so both
 * give the same model.
 *
 * <p>The steps, in order ({@link #STEPS}): {@code psi} (align ids; rows without consent never
 * enter), {@code split} (the bank tells the providers which aligned rows are the hold-out and the
 * coordinator how many rows train), {@code preprocess} (each party fits its own preprocessing on
 * its training rows), {@code train} (vertical LR), {@code evaluate} (providers send the bank their
 * partial scores of the hold-out rows; the bank computes the metrics), {@code publish} (each party
 * returns its model shard). A party with nothing to do in a step returns at once.
 */
public sealed interface VerticalJobParty
    permits LabelPartyProgram,
        FeaturePartyProgram,
        CoordinatorProgram,
        SecureBoostLabelProgram,
        SecureBoostFeatureProgram,
        ScorecardLabelProgram,
        ScorecardFeatureProgram {

  /** The steps of a vertical LR job, in order. */
  List<String> STEPS = List.of("psi", "split", "preprocess", "train", "evaluate", "publish");

  /**
   * Runs {@code step} and returns what it is safe to report about it (counts, timings, metrics at
   * the bank; never a raw value). Steps must be run in the order of {@link #STEPS}.
   */
  Map<String, Object> runStep(String step, Federation federation);

  /** Checks that {@code step} is a known step. */
  static void requireKnown(String step) {
    if (!STEPS.contains(step)) {
      throw new IllegalArgumentException("unknown step '" + step + "'; the steps are " + STEPS);
    }
  }
}
