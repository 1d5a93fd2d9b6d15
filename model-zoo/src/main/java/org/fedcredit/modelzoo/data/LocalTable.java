package org.fedcredit.modelzoo.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One party's local data as the algorithms see it: row ids, numeric feature columns (column-major,
 * {@link Double#NaN} = missing) and, at the label party, 0/1 labels. It never leaves its node.
 *
 * <p>Immutable by contract: the arrays are copied in and never handed out for writing.
 */
public final class LocalTable {

  private final String source;
  private final List<String> ids;
  private final List<String> featureNames;
  private final double[][] columns;
  private final int[] labels;

  /**
   * @param source where the data came from, for messages (e.g. a file path)
   * @param ids row ids, unique
   * @param featureNames one per column
   * @param columns column-major values, each of {@code ids.size()} entries
   * @param labels 0/1 per row, or null at a feature party
   */
  public LocalTable(
      String source,
      List<String> ids,
      List<String> featureNames,
      double[][] columns,
      int[] labels) {
    this.source = Objects.requireNonNull(source, "source");
    this.ids = List.copyOf(ids);
    this.featureNames = List.copyOf(featureNames);
    if (columns.length != featureNames.size()) {
      throw new IllegalArgumentException(
          source + ": " + columns.length + " columns but " + featureNames.size() + " names");
    }
    this.columns = new double[columns.length][];
    for (int j = 0; j < columns.length; j++) {
      if (columns[j].length != ids.size()) {
        throw new IllegalArgumentException(
            source
                + ": column "
                + featureNames.get(j)
                + " has "
                + columns[j].length
                + " rows, ids "
                + ids.size());
      }
      this.columns[j] = columns[j].clone();
    }
    if (labels != null && labels.length != ids.size()) {
      throw new IllegalArgumentException(
          source + ": " + labels.length + " labels, " + ids.size() + " rows");
    }
    this.labels = labels == null ? null : labels.clone();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String id : this.ids) {
      if (!seen.add(id)) {
        throw new IllegalArgumentException(source + ": duplicate id '" + id + "'");
      }
    }
    if (labels != null) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 0 && labels[i] != 1) {
          throw new IllegalArgumentException(
              source + ": label of row " + this.ids.get(i) + " is " + labels[i] + ", not 0 or 1");
        }
      }
    }
  }

  /** The rows {@code rows} (in that order) of this table, e.g. an aligned or hold-out subset. */
  public LocalTable select(int[] rows, String newSource) {
    List<String> subIds = new java.util.ArrayList<>(rows.length);
    double[][] cols = new double[columns.length][rows.length];
    int[] y = labels == null ? null : new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      subIds.add(ids.get(rows[r]));
      for (int j = 0; j < columns.length; j++) {
        cols[j][r] = columns[j][rows[r]];
      }
      if (y != null) {
        y[r] = labels[rows[r]];
      }
    }
    return new LocalTable(newSource, subIds, featureNames, cols, y);
  }

  /** This table restricted to the named columns, in the given order. */
  public LocalTable project(List<String> names) {
    double[][] cols = new double[names.size()][];
    for (int k = 0; k < names.size(); k++) {
      int j = featureNames.indexOf(names.get(k));
      if (j < 0) {
        throw new IllegalArgumentException(source + " has no column '" + names.get(k) + "'");
      }
      cols[k] = columns[j];
    }
    return new LocalTable(source, ids, names, cols, labels);
  }

  public String source() {
    return source;
  }

  public int rows() {
    return ids.size();
  }

  public List<String> ids() {
    return ids;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public int features() {
    return columns.length;
  }

  /** Value of feature {@code j} in row {@code i} (NaN if missing). */
  public double value(int i, int j) {
    return columns[j][i];
  }

  /** A copy of column {@code j}. */
  public double[] column(int j) {
    return columns[j].clone();
  }

  public boolean hasLabels() {
    return labels != null;
  }

  /** The label of row {@code i}. */
  public int label(int i) {
    if (labels == null) {
      throw new IllegalStateException(source + " has no label column");
    }
    return labels[i];
  }

  /** A copy of the labels, if any. */
  public Optional<int[]> labels() {
    return Optional.ofNullable(labels).map(int[]::clone);
  }

  @Override
  public String toString() {
    return "LocalTable["
        + source
        + ", "
        + rows()
        + " rows, "
        + features()
        + " features"
        + (labels != null ? ", labelled" : "")
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalTable t
        && ids.equals(t.ids)
        && featureNames.equals(t.featureNames)
        && Arrays.deepEquals(columns, t.columns)
        && Arrays.equals(labels, t.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ids, featureNames);
  }
}
