package org.fedcredit.modelzoo.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Evaluation of a binary scorer (label 1 = the event, e.g. default) on one party's labelled rows.
 *
 * <p>What {@link #evaluate(int[], double[], double, int)} guarantees:
 *
 * <ul>
 *   <li><b>AUC</b> is exact: the Mann–Whitney statistic, i.e. the fraction of (positive, negative)
 *       pairs in which the positive has the higher score, a tied pair counting ½ — the same number
 *       as the average-rank formula and as scikit-learn's {@code roc_auc_score}. It is computed
 *       with integer pair counts, so it carries no rounding error before the final division.
 *   <li><b>KS</b> is exact: {@code max |TPR(t) − FPR(t)|} over every distinct score {@code t},
 *       where a row is predicted positive iff {@code score ≥ t}; rows with equal scores are always
 *       on the same side of a threshold. It is the two-sample Kolmogorov–Smirnov statistic between
 *       the scores of positives and negatives, hence symmetric: an inverted scorer has KS 1 (AUC
 *       tells the direction). {@link #ksScore()} is the {@code t} attaining it (the highest such).
 *       AUC and KS depend only on the order of the scores, so any strictly increasing transform of
 *       the scores leaves both unchanged.
 *   <li><b>Gini</b> = 2·AUC − 1.
 *   <li><b>Confusion matrix and accuracy</b> at {@link #threshold()} (default {@value
 *       #DEFAULT_THRESHOLD}); a row is predicted positive iff {@code score ≥ threshold}.
 *   <li><b>Log loss</b> (natural log, mean over rows) only when every score is a probability in [0,
 *       1]; probabilities are clipped to [1e-15, 1 − 1e-15] as scikit-learn 1.2 does, so a
 *       confident mistake costs about 34.5 rather than infinity. Otherwise it is empty: scores on
 *       another scale (margins, scorecard points) have AUC and KS but no log loss.
 *   <li><b>Score histogram</b>: {@value #DEFAULT_HISTOGRAM_BINS} equal-width bins by default on [0,
 *       1], widened to {@code [min(0, lowest score), max(1, highest score)]} when scores fall
 *       outside; counts of positives and negatives per bin; bin {@code i} is {@code [low + i·w, low
 *       + (i+1)·w)}, the last bin also holds {@code high}.
 * </ul>
 *
 * <p>Inputs are rejected with a {@link MetricsException} naming the position: lengths that differ,
 * no rows, a label not 0/1, a NaN or infinite score, or a single class (AUC and KS are undefined
 * without both positives and negatives). Inputs are not modified.
 *
 * <p>The record is an immutable value; {@link #toMap()} gives a JSON-ready view with snake_case
 * keys in a fixed order.
 *
 * @param count rows evaluated
 * @param positives rows with label 1
 * @param negatives rows with label 0
 * @param auc area under the ROC curve, in [0, 1]
 * @param gini 2·AUC − 1, in [−1, 1]
 * @param ks Kolmogorov–Smirnov statistic, in [0, 1]
 * @param ksScore the score threshold at which {@code ks} is attained
 * @param threshold the threshold used for the confusion matrix and accuracy
 * @param confusion counts at {@code threshold}
 * @param logLoss mean negative log-likelihood, present iff every score is in [0, 1]
 * @param histogram score histogram by class
 */
public record BinaryClassificationMetrics(
    int count,
    int positives,
    int negatives,
    double auc,
    double gini,
    double ks,
    double ksScore,
    double threshold,
    ConfusionMatrix confusion,
    OptionalDouble logLoss,
    ScoreHistogram histogram) {

  /** Threshold for the confusion matrix unless another is given. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /** Number of histogram bins unless another is given. */
  public static final int DEFAULT_HISTOGRAM_BINS = 10;

  /** Probabilities are clipped to [EPS, 1 − EPS] for log loss (scikit-learn 1.2's default). */
  static final double LOG_LOSS_EPS = 1e-15;

  public BinaryClassificationMetrics {
    Objects.requireNonNull(confusion, "confusion");
    Objects.requireNonNull(logLoss, "logLoss");
    Objects.requireNonNull(histogram, "histogram");
    if (positives + negatives != count || confusion.total() != count) {
      throw new IllegalArgumentException(
          "inconsistent counts: "
              + positives
              + " positives + "
              + negatives
              + " negatives, "
              + count
              + " rows, confusion matrix of "
              + confusion.total());
    }
  }

  /** Evaluates with threshold {@value #DEFAULT_THRESHOLD} and 10 histogram bins. */
  public static BinaryClassificationMetrics evaluate(int[] labels, double[] scores) {
    return evaluate(labels, scores, DEFAULT_THRESHOLD, DEFAULT_HISTOGRAM_BINS);
  }

  /** Evaluates with the given threshold and 10 histogram bins. */
  public static BinaryClassificationMetrics evaluate(
      int[] labels, double[] scores, double threshold) {
    return evaluate(labels, scores, threshold, DEFAULT_HISTOGRAM_BINS);
  }

  /**
   * Evaluates {@code scores} (higher = more likely label 1) against {@code labels}.
   *
   * @param labels 0/1 per row
   * @param scores one finite score per row
   * @param threshold predicted positive iff {@code score ≥ threshold}; must be finite
   * @param histogramBins at least 1
   * @throws MetricsException if the input cannot be evaluated (the message says where and why)
   */
  public static BinaryClassificationMetrics evaluate(
      int[] labels, double[] scores, double threshold, int histogramBins) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scores, "scores");
    if (labels.length != scores.length) {
      throw new MetricsException(
          labels.length
              + " labels but "
              + scores.length
              + " scores: pass one score per labelled row, in the same order");
    }
    if (labels.length == 0) {
      throw new MetricsException("no rows to evaluate");
    }
    if (!Double.isFinite(threshold)) {
      throw new MetricsException("threshold must be finite, got " + threshold);
    }
    if (histogramBins < 1) {
      throw new MetricsException("histogramBins must be at least 1, got " + histogramBins);
    }
    int n = labels.length;
    int p = 0;
    double lowest = Double.POSITIVE_INFINITY;
    double highest = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new MetricsException(
            "label at row " + i + " is " + labels[i] + ": labels must be 0 or 1");
      }
      if (!Double.isFinite(scores[i])) {
        throw new MetricsException(
            "score at row "
                + i
                + " is "
                + scores[i]
                + ": scores must be finite (a NaN usually means a missing feature reached the"
                + " model without imputation)");
      }
      p += labels[i];
      lowest = Math.min(lowest, scores[i]);
      highest = Math.max(highest, scores[i]);
    }
    int q = n - p;
    if (p == 0 || q == 0) {
      throw new MetricsException(
          "all "
              + n
              + " rows have label "
              + (p == 0 ? 0 : 1)
              + ": AUC and KS are undefined for a single class; evaluate on rows containing"
              + " both positives and negatives (e.g. a stratified split)");
    }

    // Scores of each class, ascending; "+ 0.0" turns -0.0 into 0.0 so that they tie.
    double[] pos = new double[p];
    double[] neg = new double[q];
    int pi = 0;
    int ni = 0;
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < n; i++) {
      double s = scores[i] + 0.0;
      boolean predicted = s >= threshold;
      if (labels[i] == 1) {
        pos[pi++] = s;
        tp += predicted ? 1 : 0;
      } else {
        neg[ni++] = s;
        fp += predicted ? 1 : 0;
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    RankStatistics rank = rankStatistics(pos, neg);

    ConfusionMatrix confusion = new ConfusionMatrix(tp, fp, q - fp, p - tp);
    OptionalDouble logLoss =
        lowest >= 0 && highest <= 1
            ? OptionalDouble.of(logLoss(labels, scores))
            : OptionalDouble.empty();
    ScoreHistogram histogram =
        ScoreHistogram.of(labels, scores, Math.min(0, lowest), Math.max(1, highest), histogramBins);
    return new BinaryClassificationMetrics(
        n,
        p,
        q,
        rank.auc,
        2 * rank.auc - 1,
        rank.ks,
        rank.ksScore,
        threshold,
        confusion,
        logLoss,
        histogram);
  }

  private record RankStatistics(double auc, double ks, double ksScore) {}

  /**
   * One pass over the distinct scores, from highest to lowest, of both classes sorted ascending.
   * For each distinct score v with {@code pv} positives and {@code nv} negatives, the pairs it
   * decides are {@code pv·(negatives below v)} won and {@code pv·nv} tied; twice the Mann–Whitney U
   * is accumulated as an exact long.
   */
  private static RankStatistics rankStatistics(double[] pos, double[] neg) {
    long p = pos.length;
    long q = neg.length;
    int i = pos.length - 1;
    int j = neg.length - 1;
    long tp = 0;
    long fp = 0;
    long twiceU = 0;
    double ks = 0;
    double ksScore = Math.max(pos[i], neg[j]);
    while (i >= 0 || j >= 0) {
      double v;
      if (i < 0) {
        v = neg[j];
      } else if (j < 0) {
        v = pos[i];
      } else {
        v = Math.max(pos[i], neg[j]);
      }
      long pv = 0;
      while (i >= 0 && pos[i] == v) {
        pv++;
        i--;
      }
      long nv = 0;
      while (j >= 0 && neg[j] == v) {
        nv++;
        j--;
      }
      long negativesBelow = j + 1L;
      twiceU += pv * (2 * negativesBelow + nv);
      tp += pv;
      fp += nv;
      // Compare tp·q and fp·p exactly before dividing, so ties between thresholds are exact.
      double gap = Math.abs((double) (tp * q - fp * p)) / ((double) p * q);
      if (gap > ks) {
        ks = gap;
        ksScore = v;
      }
    }
    double auc = twiceU / (2.0 * p * q);
    return new RankStatistics(auc, ks, ksScore);
  }

  private static double logLoss(int[] labels, double[] scores) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double prob = Math.min(Math.max(scores[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
      sum -= labels[i] == 1 ? Math.log(prob) : Math.log1p(-prob);
    }
    return sum / labels.length;
  }

  /** Share of rows with label 1. */
  public double positiveRate() {
    return (double) positives / count;
  }

  /** Share of rows predicted positive at {@link #threshold()}. */
  public double predictedPositiveRate() {
    return (double) (confusion.truePositives() + confusion.falsePositives()) / count;
  }

  /** Share of rows whose prediction at {@link #threshold()} equals the label. */
  public double accuracy() {
    return (double) (confusion.truePositives() + confusion.trueNegatives()) / count;
  }

  /**
   * A JSON-ready view: snake_case keys in a fixed order, values that are {@link Number}s, lists of
   * numbers or nested maps of the same kind; {@code log_loss} is absent when undefined. The map is
   * unmodifiable.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("positives", positives);
    m.put("negatives", negatives);
    m.put("positive_rate", positiveRate());
    m.put("auc", auc);
    m.put("gini", gini);
    m.put("ks", ks);
    m.put("ks_score", ksScore);
    m.put("threshold", threshold);
    m.put("accuracy", accuracy());
    m.put("predicted_positive_rate", predictedPositiveRate());
    m.put("confusion", confusion.toMap());
    logLoss.ifPresent(v -> m.put("log_loss", v));
    m.put("histogram", histogram.toMap());
    return Collections.unmodifiableMap(m);
  }

  /**
   * Counts of the four outcomes at one threshold.
   *
   * @param truePositives label 1, predicted 1
   * @param falsePositives label 0, predicted 1
   * @param trueNegatives label 0, predicted 0
   * @param falseNegatives label 1, predicted 0
   */
  public record ConfusionMatrix(
      int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {
    public ConfusionMatrix {
      if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
        throw new IllegalArgumentException("negative count in a confusion matrix");
      }
    }

    public int total() {
      return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** Keys {@code tp, fp, tn, fn}, in that order. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tp", truePositives);
      m.put("fp", falsePositives);
      m.put("tn", trueNegatives);
      m.put("fn", falseNegatives);
      return Collections.unmodifiableMap(m);
    }
  }

  /**
   * Equal-width histogram of the scores on {@code [low, high]}, split by label.
   *
   * @param low left edge of bin 0
   * @param high right edge of the last bin (inclusive)
   * @param positives count of label-1 rows per bin
   * @param negatives count of label-0 rows per bin
   */
  public record ScoreHistogram(
      double low, double high, List<Integer> positives, List<Integer> negatives) {
    public ScoreHistogram {
      positives = List.copyOf(positives);
      negatives = List.copyOf(negatives);
      if (positives.isEmpty() || positives.size() != negatives.size() || !(low < high)) {
        throw new IllegalArgumentException(
            "a histogram needs low < high and as many positive as negative bins, at least one");
      }
    }

    static ScoreHistogram of(int[] labels, double[] scores, double low, double high, int bins) {
      Integer[] pos = new Integer[bins];
      Integer[] neg = new Integer[bins];
      Arrays.fill(pos, 0);
      Arrays.fill(neg, 0);
      for (int i = 0; i < labels.length; i++) {
        int b = bin(scores[i], low, high, bins);
        if (labels[i] == 1) {
          pos[b]++;
        } else {
          neg[b]++;
        }
      }
      return new ScoreHistogram(low, high, List.of(pos), List.of(neg));
    }

    static int bin(double score, double low, double high, int bins) {
      int b = (int) Math.floor((score - low) / (high - low) * bins);
      return Math.max(0, Math.min(bins - 1, b));
    }

    public int bins() {
      return positives.size();
    }

    /** Left edge of bin {@code i}; {@code edge(bins())} is {@link #high()}. */
    public double edge(int i) {
      return i == bins() ? high : low + (high - low) * i / bins();
    }

    /** Keys {@code low, high, bins, positives, negatives}, in that order. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("low", low);
      m.put("high", high);
      m.put("bins", bins());
      m.put("positives", positives);
      m.put("negatives", negatives);
      return Collections.unmodifiableMap(m);
    }
  }
}
