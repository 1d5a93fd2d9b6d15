package org.fedcredit.modelzoo.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.fedcredit.modelzoo.data.LocalTable;

/** Small tables for the preprocessing tests: ids r0, r1, …; labels i % 2. */
final class TestTables {
  private TestTables() {}

  static LocalTable of(List<String> names, double[]... columns) {
    int n = columns[0].length;
    List<String> ids = new ArrayList<>();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ids.add("r" + i);
      labels[i] = i % 2;
    }
    return new LocalTable("test.csv", ids, names, columns, labels);
  }

  static double[] column(LocalTable t, String name) {
    return t.column(t.featureNames().indexOf(name));
  }

  static int[] allRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }
}
