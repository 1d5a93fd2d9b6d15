package org.fedcredit.modelzoo.psi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * The output of PSI at one party: its own local row indices that form the common intersection, in
 * the job's order. Position {@code i} refers to the same enterprise at every party, so training can
 * use row {@link #row(int) row(i)} of each party's table as sample {@code i}.
 *
 * <p>The job's order is ascending id order ({@link String#compareTo}); every party could sort its
 * aligned ids itself, so the order reveals nothing beyond the intersection.
 *
 * <p>Also records what the run disclosed to this party about the others ({@link #peerSetSizes()})
 * and how many local rows were kept out for lack of consent.
 */
public final class Alignment {

  private final PartyId party;
  private final int[] rows;
  private final int inputRows;
  private final int excludedWithoutConsent;
  private final Map<PartyId, Long> peerSetSizes;

  Alignment(
      PartyId party,
      int[] rows,
      int inputRows,
      int excludedWithoutConsent,
      Map<PartyId, Long> peerSetSizes) {
    this.party = party;
    this.rows = rows;
    this.inputRows = inputRows;
    this.excludedWithoutConsent = excludedWithoutConsent;
    this.peerSetSizes = Map.copyOf(peerSetSizes);
  }

  public PartyId party() {
    return party;
  }

  /** Number of aligned rows (the size of the intersection). */
  public int size() {
    return rows.length;
  }

  /** The local row index of aligned sample {@code i}. */
  public int row(int i) {
    return rows[i];
  }

  /** The aligned local row indices, in the job's order (a copy). */
  public int[] rows() {
    return rows.clone();
  }

  public IntStream rowStream() {
    return IntStream.of(rows);
  }

  /** The aligned ids, in the job's order, given this party's own id list. */
  public List<String> ids(List<String> localIds) {
    List<String> out = new ArrayList<>(rows.length);
    for (int r : rows) {
      out.add(localIds.get(r));
    }
    return out;
  }

  /** Rows of this party's input, consented or not. */
  public int inputRows() {
    return inputRows;
  }

  /** Rows that never entered PSI because their owner had not consented. */
  public int excludedWithoutConsent() {
    return excludedWithoutConsent;
  }

  /**
   * The set sizes (consented, de-duplicated ids) that peers disclosed to this party: every feature
   * party's at the label party, the label party's at a feature party.
   */
  public Map<PartyId, Long> peerSetSizes() {
    return peerSetSizes;
  }

  @Override
  public String toString() {
    return party
        + ": "
        + rows.length
        + " aligned of "
        + inputRows
        + " rows ("
        + excludedWithoutConsent
        + " without consent), peers "
        + peerSetSizes;
  }
}
