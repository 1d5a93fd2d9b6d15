package org.fedcredit.modelzoo.binning;

/**
 * Which name a feature party discloses to the bank for each of its columns. The bank sees the IV
 * and per-bin counts under that name, never the cut points.
 */
public enum ColumnNaming {
  /** {@code col0, col1, …} in the party's column order (the default): the bank learns no names. */
  OPAQUE,
  /** The party's own column names, e.g. {@code invoice_amount_12m}: readable IV reports. */
  NAMES;

  /** The disclosed name of column {@code index} named {@code name}. */
  public String disclose(int index, String name) {
    return this == NAMES ? name : "col" + index;
  }
}
