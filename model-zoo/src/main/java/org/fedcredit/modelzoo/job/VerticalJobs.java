package org.fedcredit.modelzoo.job;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.lr.CoordinatorRole;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * The program of each role for a job's algorithm ({@code vertical-lr}, {@code secureboost} or
 * {@code scorecard}).
 */
public final class VerticalJobs {

  private VerticalJobs() {}

  /** The bank's program. */
  public static VerticalJobParty labelParty(
      JobSpec spec,
      LocalTable table,
      Optional<Predicate<String>> consent,
      Set<String> holdoutIds,
      PaillierEngine.Options engine) {
    return switch (spec.algorithm()) {
      case "secureboost" -> new SecureBoostLabelProgram(spec, table, consent, holdoutIds, engine);
      case "scorecard" -> new ScorecardLabelProgram(spec, table, consent, holdoutIds, engine);
      default -> new LabelPartyProgram(spec, table, consent, holdoutIds, engine);
    };
  }

  /** A data provider's program. */
  public static VerticalJobParty featureParty(
      JobSpec spec,
      String party,
      LocalTable table,
      Optional<Predicate<String>> consent,
      PaillierEngine.Options engine) {
    return switch (spec.algorithm()) {
      case "secureboost" -> new SecureBoostFeatureProgram(spec, party, table, consent, engine);
      case "scorecard" -> new ScorecardFeatureProgram(spec, party, table, consent, engine);
      default -> new FeaturePartyProgram(spec, party, table, consent, engine);
    };
  }

  /** The coordinator's program (in SecureBoost the bank holds the key: nothing to do). */
  public static CoordinatorProgram coordinator(
      JobSpec spec, PaillierEngine.Options engine, CoordinatorRole.EpochListener listener) {
    return new CoordinatorProgram(spec, engine, listener);
  }
}
