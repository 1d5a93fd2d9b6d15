package org.fedcredit.modelzoo.synth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fedcredit.modelzoo.lr.TaylorLogisticRegression;
import org.fedcredit.modelzoo.lr.VerticalLrConfig;
import org.fedcredit.modelzoo.metrics.BinaryClassificationMetrics;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer.DataSet;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer.Table;

/**
 * What {@code examples/sme/vertical-lr.yaml} computes, done in the clear in one place: rows held by
 * all three parties, the bank's hold-out ids, mean imputation and z-scores fitted on the training
 * rows, categorical columns as 0/1 indicators, then the Taylor-loss LR on all columns and on the
 * bank's columns only. Independent of the CSV reader and the federation, so it checks the planted
 * signal, not the pipeline.
 */
final class CentralisedBaseline {

  /** Hold-out AUCs. */
  record Result(int alignedRows, int holdoutRows, double allAuc, double bankAuc) {
    double margin() {
      return allAuc - bankAuc;
    }
  }

  static final Set<String> CATEGORICAL = Set.of("industry", "region", "tax_grade");

  private CentralisedBaseline() {}

  static Result evaluate(DataSet d, VerticalLrConfig config) {
    return evaluate(d, config, Set.of());
  }

  /** As {@link #evaluate(DataSet, VerticalLrConfig)} without the named provider columns. */
  static Result evaluate(DataSet d, VerticalLrConfig config, Set<String> dropProviderColumns) {
    Map<String, Integer> taxRow = index(d.taxBureau());
    Map<String, Integer> utilityRow = index(d.utility());
    Set<String> holdout = new HashSet<>();
    d.holdoutIds().rows().forEach(r -> holdout.add(r.get(0)));
    Table bank = d.bank();
    int label = bank.column("default");
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    List<double[]> bankX = new ArrayList<>();
    List<double[]> allX = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    Encoder bankEnc = new Encoder(bank, Set.of("default"));
    Encoder taxEnc = new Encoder(d.taxBureau(), dropProviderColumns);
    Encoder utilityEnc = new Encoder(d.utility(), dropProviderColumns);
    for (List<String> row : bank.rows()) {
      String id = row.get(0);
      if (!taxRow.containsKey(id) || !utilityRow.containsKey(id)) {
        continue;
      }
      double[] b = bankEnc.encode(row);
      double[] t = taxEnc.encode(d.taxBureau().rows().get(taxRow.get(id)));
      double[] u = utilityEnc.encode(d.utility().rows().get(utilityRow.get(id)));
      double[] all = new double[b.length + t.length + u.length];
      System.arraycopy(b, 0, all, 0, b.length);
      System.arraycopy(t, 0, all, b.length, t.length);
      System.arraycopy(u, 0, all, b.length + t.length, u.length);
      (holdout.contains(id) ? test : train).add(y.size());
      bankX.add(b);
      allX.add(all);
      y.add(Integer.parseInt(row.get(label)));
    }
    int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
    return new Result(
        y.size(),
        test.size(),
        auc(allX, labels, train, test, config),
        auc(bankX, labels, train, test, config));
  }

  private static double auc(
      List<double[]> x, int[] y, List<Integer> train, List<Integer> test, VerticalLrConfig c) {
    int d = x.get(0).length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      double s = 0;
      int k = 0;
      for (int i : train) {
        if (!Double.isNaN(x.get(i)[j])) {
          s += x.get(i)[j];
          k++;
        }
      }
      double m = k == 0 ? 0 : s / k;
      double ss = 0;
      for (int i : train) {
        double v = Double.isNaN(x.get(i)[j]) ? m : x.get(i)[j];
        ss += (v - m) * (v - m);
      }
      mean[j] = m;
      sd[j] = Math.sqrt(ss / train.size());
    }
    double[][] xtr = matrix(x, train, mean, sd);
    int[] ytr = train.stream().mapToInt(i -> y[i]).toArray();
    double[] w = TaylorLogisticRegression.fit(xtr, ytr, c);
    double[][] xte = matrix(x, test, mean, sd);
    double[] p = new double[xte.length];
    for (int i = 0; i < p.length; i++) {
      double u = w[d];
      for (int j = 0; j < d; j++) {
        u += w[j] * xte[i][j];
      }
      p[i] = u;
    }
    return BinaryClassificationMetrics.evaluate(test.stream().mapToInt(i -> y[i]).toArray(), p)
        .auc();
  }

  private static double[][] matrix(List<double[]> x, List<Integer> rows, double[] m, double[] s) {
    double[][] out = new double[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      double[] src = x.get(rows.get(r));
      out[r] = new double[src.length];
      for (int j = 0; j < src.length; j++) {
        double v = Double.isNaN(src[j]) ? m[j] : src[j];
        out[r][j] = s[j] > 0 ? (v - m[j]) / s[j] : 0;
      }
    }
    return out;
  }

  private static Map<String, Integer> index(Table t) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < t.rows().size(); i++) {
      m.put(t.rows().get(i).get(0), i);
    }
    return m;
  }

  /** Numeric cells as numbers (empty = NaN), categorical cells as one indicator per category. */
  private static final class Encoder {
    private final List<Integer> numeric = new ArrayList<>();
    private final Map<Integer, List<String>> categories = new HashMap<>();

    Encoder(Table t, Set<String> skip) {
      for (int j = 1; j < t.header().size(); j++) {
        String h = t.header().get(j);
        if (skip.contains(h)) {
          continue;
        }
        if (CATEGORICAL.contains(h)) {
          TreeSet<String> values = new TreeSet<>();
          for (List<String> r : t.rows()) {
            values.add(r.get(j));
          }
          categories.put(j, List.copyOf(values));
        } else {
          numeric.add(j);
        }
      }
    }

    double[] encode(List<String> row) {
      List<Double> out = new ArrayList<>();
      for (int j : numeric) {
        String c = row.get(j);
        out.add(c.isEmpty() ? Double.NaN : Double.parseDouble(c));
      }
      for (var e : new java.util.TreeMap<>(categories).entrySet()) {
        for (String v : e.getValue()) {
          out.add(v.equals(row.get(e.getKey())) ? 1.0 : 0.0);
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
