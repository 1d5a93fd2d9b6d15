package org.fedcredit.modelzoo.binning;

import java.util.Objects;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * What the bank knows about one column of the job, its own or a provider's: the owner, the name the
 * owner disclosed, and the counts, grouping, WOE and IV per (opaque) bin index — no cut point.
 *
 * @param owner the party holding the column
 * @param column the disclosed name ({@link ColumnNaming})
 * @param evaluation counts, grouping, WOE and IV
 */
public record ColumnIv(PartyId owner, String column, WoeEvaluation evaluation) {

  public ColumnIv {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(evaluation, "evaluation");
  }

  /** {@code owner/column}, e.g. {@code tax-bureau/col3}: the name used by {@link IvSelection}. */
  public String qualifiedName() {
    return owner + "/" + column;
  }

  public double iv() {
    return evaluation.iv();
  }
}
