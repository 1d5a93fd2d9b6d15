package org.fedcredit.modelzoo.secureboost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The arithmetic SecureBoost's roles and {@link PlainSecureBoost} share, so that the federation and
 * the reference compute bit-identical gains and leaf weights: logistic gradients, GOSS, fixed-point
 * g/h, histograms, the canonical candidate order and the gain formula.
 */
final class BoostMath {

  private BoostMath() {}

  /** Sums of fixed-point g, h and of the number of sampled rows. */
  record Stats(long g, long h, long count) {
    static final Stats ZERO = new Stats(0, 0, 0);

    Stats plus(Stats o) {
      return new Stats(Math.addExact(g, o.g), Math.addExact(h, o.h), Math.addExact(count, o.count));
    }

    Stats minus(Stats o) {
      return new Stats(
          Math.subtractExact(g, o.g),
          Math.subtractExact(h, o.h),
          Math.subtractExact(count, o.count));
    }
  }

  /**
   * One tree's per-row inputs: fixed-point g and h (0 for rows GOSS leaves out), whether the row is
   * sampled, and {@code bound ≥ |G_i|, H_i} for every row (from weights and GOSS factors only).
   */
  record TreeInputs(long[] g, long[] h, boolean[] sampled, long bound) {
    Stats row(int i) {
      return sampled[i] ? new Stats(g[i], h[i], 1) : Stats.ZERO;
    }
  }

  static double sigmoid(double u) {
    return 1 / (1 + Math.exp(-u));
  }

  static TreeInputs treeInputs(
      int[] y, double[] weights, double[] margin, SecureBoostConfig c, int tree) {
    int n = y.length;
    double[] g = new double[n];
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      double p = sigmoid(margin[i]);
      g[i] = (p - y[i]) * weights[i];
      h[i] = p * (1 - p) * weights[i];
    }
    double[] factor = c.goss() ? gossFactors(g, c, tree) : ones(n);
    long[] gq = new long[n];
    long[] hq = new long[n];
    boolean[] sampled = new boolean[n];
    double bound = 0;
    for (int i = 0; i < n; i++) {
      sampled[i] = factor[i] > 0;
      gq[i] = sampled[i] ? quantize(g[i] * factor[i], c.scaleBits()) : 0;
      hq[i] = sampled[i] ? quantize(h[i] * factor[i], c.scaleBits()) : 0;
      bound = Math.max(bound, weights[i] * factor[i]);
    }
    // |g| ≤ weight·factor and h ≤ weight·factor/4; rounding is monotone, so the bound holds.
    return new TreeInputs(gq, hq, sampled, quantize(bound, c.scaleBits()));
  }

  private static double[] ones(int n) {
    double[] f = new double[n];
    java.util.Arrays.fill(f, 1.0);
    return f;
  }

  /**
   * GOSS as published: the ⌊a·n⌉ rows with the largest |g| (ties by row) get factor 1, ⌊b·n⌉ rows
   * drawn from the rest with {@code Random(seed + tree)} get (1 − a)/b, all others 0.
   */
  static double[] gossFactors(double[] g, SecureBoostConfig c, int tree) {
    int n = g.length;
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(g[i])));
    int top = (int) Math.min(n, Math.round(c.gossTopRate() * n));
    int other = (int) Math.min(n - top, Math.round(c.gossOtherRate() * n));
    double[] factor = new double[n];
    for (int k = 0; k < top; k++) {
      factor[order.get(k)] = 1.0;
    }
    List<Integer> rest = new ArrayList<>(order.subList(top, n));
    Collections.sort(rest);
    Collections.shuffle(rest, new Random(c.seed() + tree));
    double amplify = (1 - c.gossTopRate()) / c.gossOtherRate();
    for (int k = 0; k < other; k++) {
      factor[rest.get(k)] = amplify;
    }
    return factor;
  }

  static long quantize(double v, int scaleBits) {
    double s = Math.scalb(v, scaleBits);
    if (Math.abs(s) >= 0x1p62) {
      throw new ArithmeticException(
          "value "
              + v
              + " does not fit 2^"
              + scaleBits
              + " fixed point in 62 bits; lower scaleBits or the sample weights");
    }
    return Math.round(s);
  }

  static Stats total(int[] rows, TreeInputs in) {
    Stats s = Stats.ZERO;
    for (int i : rows) {
      s = s.plus(in.row(i));
    }
    return s;
  }

  /** {@code [feature][bin]}, the missing bin at index {@code binCounts[feature]}. */
  static Stats[][] histogram(BinnedTable t, int[] rows, TreeInputs in) {
    Stats[][] hist = new Stats[t.features()][];
    for (int f = 0; f < t.features(); f++) {
      hist[f] = new Stats[t.binCounts()[f] + 1];
      java.util.Arrays.fill(hist[f], Stats.ZERO);
    }
    for (int i : rows) {
      if (!in.sampled()[i]) {
        continue;
      }
      Stats s = in.row(i);
      for (int f = 0; f < t.features(); f++) {
        int b = t.bins()[i][f];
        int slot = b == BinnedTable.MISSING ? t.binCounts()[f] : b;
        hist[f][slot] = hist[f][slot].plus(s);
      }
    }
    return hist;
  }

  static Stats[][] minus(Stats[][] a, Stats[][] b) {
    Stats[][] out = new Stats[a.length][];
    for (int f = 0; f < a.length; f++) {
      out[f] = new Stats[a[f].length];
      for (int k = 0; k < a[f].length; k++) {
        out[f][k] = a[f][k].minus(b[f][k]);
      }
    }
    return out;
  }

  /**
   * Every split candidate of a party in canonical order: features in column order, thresholds
   * ascending, missing values right before left. A feature with one bin has none.
   */
  static List<SplitRule> candidates(int[] binCounts) {
    List<SplitRule> out = new ArrayList<>();
    for (int f = 0; f < binCounts.length; f++) {
      for (int t = 0; t + 1 < binCounts[f]; t++) {
        out.add(new SplitRule(f, t, false));
        out.add(new SplitRule(f, t, true));
      }
    }
    return out;
  }

  /** The left-child sums of {@link #candidates} (same order) from a histogram. */
  static Stats[] leftSums(int[] binCounts, Stats[][] hist) {
    List<Stats> out = new ArrayList<>();
    for (int f = 0; f < binCounts.length; f++) {
      Stats cum = Stats.ZERO;
      Stats missing = hist[f][binCounts[f]];
      for (int t = 0; t + 1 < binCounts[f]; t++) {
        cum = cum.plus(hist[f][t]);
        out.add(cum);
        out.add(cum.plus(missing));
      }
    }
    return out.toArray(new Stats[0]);
  }

  /**
   * {@code ½·(G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ))}, or −∞ when a child has fewer than {@code
   * minSamplesLeaf} sampled rows or a hessian sum below {@code minChildWeight}.
   */
  static double gain(Stats left, Stats total, SecureBoostConfig c) {
    Stats right = total.minus(left);
    if (left.count() < c.minSamplesLeaf() || right.count() < c.minSamplesLeaf()) {
      return Double.NEGATIVE_INFINITY;
    }
    int f = c.scaleBits();
    double gl = Math.scalb((double) left.g(), -f);
    double hl = Math.scalb((double) left.h(), -f);
    double gr = Math.scalb((double) right.g(), -f);
    double hr = Math.scalb((double) right.h(), -f);
    double g = Math.scalb((double) total.g(), -f);
    double h = Math.scalb((double) total.h(), -f);
    if (hl < c.minChildWeight() || hr < c.minChildWeight()) {
      return Double.NEGATIVE_INFINITY;
    }
    double l = c.lambda();
    return 0.5 * (gl * gl / (hl + l) + gr * gr / (hr + l) - g * g / (h + l));
  }

  /** {@code −η·G/(H+λ)}. */
  static double leafWeight(Stats s, SecureBoostConfig c) {
    double g = Math.scalb((double) s.g(), -c.scaleBits());
    double h = Math.scalb((double) s.h(), -c.scaleBits());
    return -c.learningRate() * g / (h + c.lambda());
  }

  /** Whether a node at {@code depth} with these sums is offered for splitting. */
  static boolean expandable(int depth, Stats total, SecureBoostConfig c) {
    return depth < c.maxDepth() && total.count() >= 2L * c.minSamplesLeaf();
  }

  static int depth(int node) {
    return 31 - Integer.numberOfLeadingZeros(node + 1);
  }

  static byte[] bits(boolean[] left) {
    byte[] out = new byte[(left.length + 7) / 8];
    for (int i = 0; i < left.length; i++) {
      if (left[i]) {
        out[i >> 3] |= (byte) (1 << (i & 7));
      }
    }
    return out;
  }

  static boolean[] unbits(byte[] bytes, int count) {
    if (bytes.length != (count + 7) / 8) {
      throw new IllegalArgumentException(
          "a partition of "
              + count
              + " rows needs "
              + (count + 7) / 8
              + " bytes, got "
              + bytes.length);
    }
    boolean[] out = new boolean[count];
    for (int i = 0; i < count; i++) {
      out[i] = (bytes[i >> 3] & (1 << (i & 7))) != 0;
    }
    return out;
  }

  /** {@code [left rows, right rows]}, each ascending. */
  static int[][] partition(int[] rows, boolean[] left) {
    int nl = 0;
    for (boolean b : left) {
      nl += b ? 1 : 0;
    }
    int[] l = new int[nl];
    int[] r = new int[rows.length - nl];
    int a = 0;
    int b = 0;
    for (int k = 0; k < rows.length; k++) {
      if (left[k]) {
        l[a++] = rows[k];
      } else {
        r[b++] = rows[k];
      }
    }
    return new int[][] {l, r};
  }

  static boolean[] route(BinnedTable t, int[] rows, SplitRule rule) {
    boolean[] left = new boolean[rows.length];
    for (int k = 0; k < rows.length; k++) {
      left[k] = rule.goesLeft(t.bins()[rows[k]][rule.feature()]);
    }
    return left;
  }

  static int[] allRows(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
