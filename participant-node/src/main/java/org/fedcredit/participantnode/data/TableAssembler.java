package org.fedcredit.participantnode.data;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Collects checked rows and builds the {@link LocalTable}, so that the CSV and the JDBC source give
 * the same table for the same data: numeric columns first in source order, then per categorical
 * column (in source order) one 0/1 indicator {@code column=value} per distinct non-empty value,
 * sorted; an empty or missing category is 0 in every indicator.
 *
 * <p>The sources check ids, labels and numbers (their messages name file/line or row) before adding
 * a row; this class only assembles.
 */
final class TableAssembler {

  private final List<String> numericNames;
  private final List<String> categoricalNames;
  private final boolean labelled;
  private final List<String> ids = new ArrayList<>();
  private final List<double[]> numeric = new ArrayList<>();
  private final List<String[]> text = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();

  TableAssembler(List<String> numericNames, List<String> categoricalNames, boolean labelled) {
    this.numericNames = List.copyOf(numericNames);
    this.categoricalNames = List.copyOf(categoricalNames);
    this.labelled = labelled;
  }

  /**
   * @param label 0/1, ignored unless the table is labelled
   * @param values one per numeric column, NaN = missing
   * @param categories one per categorical column, "" = missing
   */
  void add(String id, int label, double[] values, String[] categories) {
    ids.add(id);
    if (labelled) {
      labels.add(label);
    }
    numeric.add(values);
    text.add(categories);
  }

  int rows() {
    return ids.size();
  }

  LocalTable build(String source) {
    int n = ids.size();
    List<double[]> columns = new ArrayList<>();
    List<String> names = new ArrayList<>(numericNames);
    for (int j = 0; j < numericNames.size(); j++) {
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = numeric.get(i)[j];
      }
      columns.add(c);
    }
    for (int k = 0; k < categoricalNames.size(); k++) {
      TreeSet<String> categories = new TreeSet<>();
      for (String[] t : text) {
        if (!t[k].isEmpty()) {
          categories.add(t[k]);
        }
      }
      for (String category : categories) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
          c[i] = category.equals(text.get(i)[k]) ? 1.0 : 0.0;
        }
        columns.add(c);
        names.add(categoricalNames.get(k) + "=" + category);
      }
    }
    int[] y = labelled ? labels.stream().mapToInt(Integer::intValue).toArray() : null;
    return new LocalTable(source, ids, names, columns.toArray(new double[0][]), y);
  }
}
