package org.fedcredit.modelzoo.job;

import java.util.List;
import java.util.Map;

/** What the bank's program of any algorithm gives after {@code evaluate}. */
public interface HoldoutScores {

  /** The hold-out ids in evaluation order. */
  List<String> holdoutIds();

  /** The federated model's probability of default for each hold-out row. */
  double[] holdoutProbabilities();

  /**
   * What the bank may report about its model (its own weights or tree shapes; no other party's).
   */
  Map<String, Object> modelSummary();
}
