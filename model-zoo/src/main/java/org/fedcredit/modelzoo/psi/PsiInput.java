package org.fedcredit.modelzoo.psi;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One party's ids for PSI, with borrower consent per row. Rows without consent never enter the
 * protocol: they are not hashed, not blinded, not counted in the set size the peers learn, and can
 * never be aligned. Row indices in the resulting {@link Alignment} refer to positions in {@link
 * #ids()}, consented or not.
 */
public final class PsiInput {

  /** One row: an id and whether its owner consented to this purpose. */
  public record Row(String id, boolean consented) {
    public Row {
      Objects.requireNonNull(id, "id");
    }
  }

  private final List<String> ids;
  private final BitSet consented;

  private PsiInput(List<String> ids, BitSet consented) {
    this.ids = ids;
    this.consented = consented;
  }

  /** Every row consented. */
  public static PsiInput of(List<String> ids) {
    return of(ids, id -> true);
  }

  /** Rows whose id satisfies {@code consent} take part; e.g. a consent registry's lookup. */
  public static PsiInput of(List<String> ids, Predicate<String> consent) {
    List<String> copy = List.copyOf(ids);
    BitSet ok = new BitSet(copy.size());
    for (int i = 0; i < copy.size(); i++) {
      if (consent.test(copy.get(i))) {
        ok.set(i);
      }
    }
    return new PsiInput(copy, ok);
  }

  /** Rows with an explicit consent flag each. */
  public static PsiInput ofRows(List<Row> rows) {
    List<String> ids = new ArrayList<>(rows.size());
    BitSet ok = new BitSet(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.get(i).id());
      if (rows.get(i).consented()) {
        ok.set(i);
      }
    }
    return new PsiInput(List.copyOf(ids), ok);
  }

  /** All ids, in local row order. */
  public List<String> ids() {
    return ids;
  }

  public int rows() {
    return ids.size();
  }

  public boolean consented(int row) {
    return consented.get(row);
  }

  public int consentedRows() {
    return consented.cardinality();
  }
}
