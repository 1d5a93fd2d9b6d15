package org.fedcredit.xaiexplainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.fedcredit.xaiexplainer.FeatureSpec.Direction;

/**
 * Counterfactual recourse: the cheapest changes of actionable characteristics that turn a refusal
 * into an approval, under a caller-supplied score.
 *
 * <p>The score {@code f(row)} is the margin (log-odds of default) of the real model; the decision
 * is approve iff {@code f(row) ≤ threshold}. The cost of a change is the normalised L1 distance
 * {@code Σ_j |Δ_j| / scale_j}. Immutable characteristics never change; every value respects its
 * bounds, direction and integrality.
 *
 * <p>Search, all deterministic for a deterministic {@code f}:
 *
 * <ol>
 *   <li>Single characteristics. If {@code f} is linear along the characteristic (checked at four
 *       points), the exact minimal value {@code x_j + (threshold − f(x)) / slope} (rounded towards
 *       approval for an integer, nudged by a few ulps if rounding leaves it a hair above the
 *       threshold). Otherwise the allowed values — bounds, a grid of {@link Options#gridPoints},
 *       the caller's breakpoints and the values just past them — are tried by increasing cost and
 *       the first that flips is refined by bisection towards the applicant's value.
 *   <li>Pairs, then triples if fewer than {@link Options#maxSuggestions} diverse suggestions were
 *       found: a beam search (width {@link Options#beamWidth}, at most {@link
 *       Options#valuesPerFeature} values per characteristic, one state per set of characteristics)
 *       adds one characteristic at a time, ranking states by margin; each flip is then shrunk
 *       characteristic by characteristic towards the applicant's values while it still flips.
 *   <li>Diversity: suggestions are taken by increasing cost, skipping any whose set of changed
 *       characteristics equals or contains that of a suggestion already taken.
 * </ol>
 *
 * <p>Guarantees: every returned suggestion was re-scored by {@code f} and flips; an empty result
 * carries the reason. The single-characteristic step is exactly minimal for a score linear in that
 * characteristic; otherwise costs are the best found on the candidate values (a heuristic, not a
 * proof of optimality). {@code f} is called at most a few thousand times for ~25 characteristics
 * ({@link Recourse#evaluations} reports the count).
 */
public final class Counterfactuals {

  /**
   * Search parameters.
   *
   * @param maxSuggestions the most suggestions to return (1–3 in the borrower page)
   * @param maxChanged the most characteristics one suggestion may change (1–3)
   * @param gridPoints grid values per characteristic, bounds included (at least 2)
   * @param beamWidth states kept per beam level
   * @param valuesPerFeature values per characteristic tried when extending a beam state
   * @param refineSteps bisection steps when refining a continuous change
   */
  public record Options(
      int maxSuggestions,
      int maxChanged,
      int gridPoints,
      int beamWidth,
      int valuesPerFeature,
      int refineSteps) {
    public Options {
      if (maxSuggestions < 1 || maxChanged < 1 || maxChanged > 3) {
        throw new IllegalArgumentException(
            "maxSuggestions must be ≥ 1 and maxChanged 1..3, got "
                + maxSuggestions
                + " and "
                + maxChanged);
      }
      if (gridPoints < 2 || beamWidth < 1 || valuesPerFeature < 1 || refineSteps < 0) {
        throw new IllegalArgumentException(
            "gridPoints ≥ 2, beamWidth ≥ 1, valuesPerFeature ≥ 1, refineSteps ≥ 0 required");
      }
    }

    /** 3 suggestions, up to 3 changes, 16 grid points, beam 8, 6 values, 40 bisection steps. */
    public static Options defaults() {
      return new Options(3, 3, 16, 8, 6, 40);
    }
  }

  /**
   * One changed characteristic.
   *
   * @param feature its index in the row
   * @param name its key
   * @param from the applicant's value
   * @param to the suggested value
   */
  public record Change(int feature, String name, double from, double to) {}

  /**
   * A set of changes that flips the decision.
   *
   * @param changes by increasing feature index
   * @param cost {@code Σ |to − from| / scale}
   * @param margin {@code f} of the changed row (≤ the threshold)
   */
  public record Suggestion(List<Change> changes, double cost, double margin) {
    public Suggestion {
      changes = List.copyOf(changes);
    }

    /** The applicant's row with these changes (a copy). */
    public double[] apply(double[] applicant) {
      double[] row = applicant.clone();
      for (Change c : changes) {
        row[c.feature()] = c.to();
      }
      return row;
    }
  }

  /**
   * The outcome of a search.
   *
   * @param margin {@code f} of the applicant's row
   * @param threshold the approval threshold
   * @param suggestions 0 … maxSuggestions suggestions by increasing cost
   * @param reason why there is none (empty when there are suggestions)
   * @param evaluations how many times {@code f} was called
   */
  public record Recourse(
      double margin,
      double threshold,
      List<Suggestion> suggestions,
      Optional<String> reason,
      int evaluations) {
    public Recourse {
      suggestions = List.copyOf(suggestions);
    }
  }

  private final List<FeatureSpec> specs;
  private final ToDoubleFunction<double[]> score;
  private final double threshold;
  private final Options options;

  /**
   * @param specs one spec per column of the applicant's row
   * @param score the model's margin of a row (log-odds of default)
   * @param threshold approve iff margin ≤ threshold
   * @param options search parameters
   */
  public Counterfactuals(
      List<FeatureSpec> specs,
      ToDoubleFunction<double[]> score,
      double threshold,
      Options options) {
    this.specs = List.copyOf(specs);
    this.score = score;
    this.threshold = threshold;
    this.options = options;
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite, got " + threshold);
    }
  }

  /** With {@link Options#defaults()}. */
  public Counterfactuals(
      List<FeatureSpec> specs, ToDoubleFunction<double[]> score, double threshold) {
    this(specs, score, threshold, Options.defaults());
  }

  /**
   * Finds up to {@link Options#maxSuggestions} diverse, cheapest changes that flip the decision.
   *
   * @param applicant the applicant's row, one value per spec
   */
  public Recourse find(double[] applicant) {
    if (applicant.length != specs.size()) {
      throw new IllegalArgumentException(
          "the row has " + applicant.length + " values for " + specs.size() + " feature specs");
    }
    for (int j = 0; j < applicant.length; j++) {
      if (!Double.isFinite(applicant[j])) {
        throw new IllegalArgumentException(
            specs.get(j).name() + " is " + applicant[j] + "; impute before searching recourse");
      }
    }
    Search s = new Search(applicant.clone());
    double m0 = s.margin;
    if (m0 <= threshold) {
      return new Recourse(
          m0,
          threshold,
          List.of(),
          Optional.of("already approved: margin " + m0 + " ≤ threshold " + threshold),
          s.evaluations);
    }
    if (s.movable.isEmpty()) {
      return new Recourse(
          m0,
          threshold,
          List.of(),
          Optional.of("no actionable characteristic can move within its bounds and direction"),
          s.evaluations);
    }
    List<Suggestion> found = new ArrayList<>();
    for (int j : s.movable) {
      s.single(j).ifPresent(found::add);
    }
    for (int size = 2; size <= options.maxChanged() && size <= s.movable.size(); size++) {
      if (size > 2 && diverse(found).size() >= options.maxSuggestions()) {
        break;
      }
      found.addAll(s.beam(size));
    }
    List<Suggestion> chosen = diverse(found);
    if (chosen.isEmpty()) {
      return new Recourse(
          m0,
          threshold,
          List.of(),
          Optional.of(
              "no change of at most "
                  + options.maxChanged()
                  + " actionable characteristics within their bounds and directions brings the"
                  + " margin from "
                  + m0
                  + " to the threshold "
                  + threshold),
          s.evaluations);
    }
    return new Recourse(m0, threshold, chosen, Optional.empty(), s.evaluations);
  }

  // Re-scored, deduplicated by feature set (cheapest kept), by cost; a suggestion whose feature set
  // equals or contains a chosen one's is skipped.
  private List<Suggestion> diverse(List<Suggestion> found) {
    List<Suggestion> sorted = new ArrayList<>(found);
    sorted.sort(ORDER);
    List<Suggestion> chosen = new ArrayList<>();
    List<TreeSet<Integer>> sets = new ArrayList<>();
    for (Suggestion s : sorted) {
      TreeSet<Integer> set = featureSet(s);
      if (set.isEmpty() || s.margin() > threshold) {
        continue;
      }
      if (sets.stream().noneMatch(set::containsAll)) {
        chosen.add(s);
        sets.add(set);
        if (chosen.size() == options.maxSuggestions()) {
          break;
        }
      }
    }
    return chosen;
  }

  private static final Comparator<Suggestion> ORDER =
      Comparator.comparingDouble(Suggestion::cost)
          .thenComparing(s -> s.changes().size())
          .thenComparing(Counterfactuals::signature);

  private static String signature(Suggestion s) {
    StringBuilder b = new StringBuilder();
    for (Change c : s.changes()) {
      b.append(String.format("%08d:%s;", c.feature(), Double.toString(c.to())));
    }
    return b.toString();
  }

  private static TreeSet<Integer> featureSet(Suggestion s) {
    TreeSet<Integer> set = new TreeSet<>();
    for (Change c : s.changes()) {
      set.add(c.feature());
    }
    return set;
  }

  /** The state of one search: the applicant, the allowed values and the evaluation count. */
  private final class Search {
    final double[] x;
    final double margin;
    final double[][] values; // allowed values ≠ x_j per feature, by increasing cost
    final List<Integer> movable = new ArrayList<>();
    int evaluations;

    Search(double[] x) {
      this.x = x;
      this.margin = eval(x);
      values = new double[x.length][];
      for (int j = 0; j < x.length; j++) {
        values[j] = allowedValues(j);
        if (values[j].length > 0) {
          movable.add(j);
        }
      }
    }

    double eval(double[] row) {
      evaluations++;
      double m = score.applyAsDouble(row);
      if (Double.isNaN(m)) {
        throw new IllegalStateException("the score function returned NaN");
      }
      return m;
    }

    boolean flips(double[] row) {
      return eval(row) <= threshold;
    }

    double cost(int j, double v) {
      return Math.abs(v - x[j]) / specs.get(j).scale();
    }

    double lo(int j) {
      FeatureSpec f = specs.get(j);
      double lo = f.direction() == Direction.UP ? Math.max(x[j], f.min()) : f.min();
      return f.integer() ? Math.ceil(lo) : lo;
    }

    double hi(int j) {
      FeatureSpec f = specs.get(j);
      double hi = f.direction() == Direction.DOWN ? Math.min(x[j], f.max()) : f.max();
      return f.integer() ? Math.floor(hi) : hi;
    }

    boolean allowed(int j, double v) {
      FeatureSpec f = specs.get(j);
      return Double.isFinite(v)
          && v >= lo(j)
          && v <= hi(j)
          && v != x[j]
          && (!f.integer() || v == Math.rint(v));
    }

    double[] allowedValues(int j) {
      FeatureSpec f = specs.get(j);
      if (!f.actionable()) {
        return new double[0];
      }
      double lo = lo(j);
      double hi = hi(j);
      if (!(lo <= hi)) {
        return new double[0];
      }
      TreeSet<Double> set = new TreeSet<>();
      int n = options.gridPoints();
      for (int i = 0; i < n; i++) {
        double v = lo + (hi - lo) * i / (n - 1);
        set.add(f.integer() ? Math.rint(v) : v);
      }
      double eps = 1e-6 * f.scale();
      for (double c : f.candidates()) {
        if (f.integer()) {
          for (double v = Math.floor(c) - 1; v <= Math.ceil(c) + 1; v++) {
            set.add(v);
          }
        } else {
          set.add(c);
          set.add(c + Math.max(eps, Math.ulp(c) * 4));
          set.add(c - Math.max(eps, Math.ulp(c) * 4));
        }
      }
      return set.stream()
          .mapToDouble(Double::doubleValue)
          .filter(v -> allowed(j, v))
          .boxed()
          .sorted(Comparator.<Double>comparingDouble(v -> cost(j, v)).thenComparing(v -> v))
          .mapToDouble(Double::doubleValue)
          .toArray();
    }

    double[] with(double[] base, int j, double v) {
      double[] row = base.clone();
      row[j] = v;
      return row;
    }

    Suggestion suggestion(double[] row) {
      List<Change> changes = new ArrayList<>();
      double cost = 0;
      for (int j = 0; j < row.length; j++) {
        if (row[j] != x[j]) {
          changes.add(new Change(j, specs.get(j).name(), x[j], row[j]));
          cost += cost(j, row[j]);
        }
      }
      return new Suggestion(changes, cost, eval(row));
    }

    Optional<Suggestion> single(int j) {
      Optional<double[]> linear = linearSingle(j);
      if (linear.isPresent()) {
        return linear.map(this::suggestion);
      }
      for (double v : values[j]) {
        double[] row = with(x, j, v);
        if (flips(row)) {
          return Optional.of(suggestion(refine(row, j)));
        }
      }
      return Optional.empty();
    }

    // The exact minimal value when f is linear along feature j; empty otherwise (or when it cannot
    // flip within bounds).
    Optional<double[]> linearSingle(int j) {
      double lo = lo(j);
      double hi = hi(j);
      if (!(lo < hi)) {
        return Optional.empty();
      }
      double fLo = eval(with(x, j, lo));
      double fHi = eval(with(x, j, hi));
      double slope = (fHi - fLo) / (hi - lo);
      double tolerance = 1e-9 * (1 + Math.abs(fLo) + Math.abs(fHi));
      for (double t : new double[] {0.25, 0.5}) {
        double v = lo + (hi - lo) * t;
        if (Math.abs(eval(with(x, j, v)) - (fLo + slope * (v - lo))) > tolerance) {
          return Optional.empty();
        }
      }
      if (Math.abs(margin - (fLo + slope * (x[j] - lo))) > tolerance || slope == 0) {
        return Optional.empty();
      }
      double target = x[j] + (threshold - margin) / slope;
      double step = Math.signum(target - x[j]);
      if (specs.get(j).integer()) {
        target = step > 0 ? Math.ceil(target) : Math.floor(target);
      }
      for (int k = 0; k < 60; k++) {
        if (target < lo || target > hi) {
          return Optional.empty();
        }
        double[] row = with(x, j, target);
        if (flips(row)) {
          return Optional.of(row);
        }
        target =
            specs.get(j).integer()
                ? target + step
                : target + step * Math.ulp(target) * (1L << Math.min(k, 50));
      }
      return Optional.empty();
    }

    // Bisects feature j of a flipping row towards the applicant's value while it still flips.
    double[] refine(double[] row, int j) {
      double b = row[j];
      // The applicant's own value may lie outside the bounds; bisect only within them.
      double a = Math.min(Math.max(x[j], lo(j)), hi(j));
      for (double v : values[j]) {
        if (cost(j, v) >= cost(j, b)) {
          break;
        }
        if (Math.signum(v - x[j]) == Math.signum(b - x[j])) {
          a = v; // cheaper, same side, known not to flip (values were tried by cost)
        }
      }
      boolean integer = specs.get(j).integer();
      for (int i = 0; i < options.refineSteps() && Math.abs(b - a) > (integer ? 1 : 0); i++) {
        double mid = integer ? Math.rint(a + (b - a) / 2) : a + (b - a) / 2;
        if (mid == a || mid == b) {
          break;
        }
        if (flips(with(row, j, mid))) {
          b = mid;
        } else {
          a = mid;
        }
      }
      return with(row, j, b);
    }

    // Up to K values of feature j spread over its allowed values, the farthest included.
    double[] spread(int j) {
      double[] all = values[j];
      int k = options.valuesPerFeature();
      if (all.length <= k) {
        return all;
      }
      double[] out = new double[k];
      for (int i = 0; i < k; i++) {
        out[i] = all[(int) Math.round((double) (all.length - 1) * (i + 1) / k)];
      }
      return out;
    }

    record State(double[] row, double margin, double cost, TreeSet<Integer> features) {}

    List<State> beamLevel = null;

    // Flipping suggestions that change exactly `size` features (after shrinking, possibly fewer).
    List<Suggestion> beam(int size) {
      if (beamLevel == null) {
        List<State> seeds = new ArrayList<>();
        for (int j : movable) {
          for (double v : spread(j)) {
            double[] row = with(x, j, v);
            double m = eval(row);
            if (m > threshold) {
              seeds.add(new State(row, m, cost(j, v), new TreeSet<>(List.of(j))));
            }
          }
        }
        beamLevel = prune(seeds);
      }
      List<State> next = new ArrayList<>();
      List<Suggestion> flipped = new ArrayList<>();
      for (State s : beamLevel) {
        for (int j : movable) {
          if (s.features().contains(j)) {
            continue;
          }
          for (double v : spread(j)) {
            double[] row = with(s.row(), j, v);
            double m = eval(row);
            TreeSet<Integer> features = new TreeSet<>(s.features());
            features.add(j);
            if (m <= threshold) {
              flipped.add(suggestion(shrink(row, features)));
            } else {
              next.add(new State(row, m, s.cost() + cost(j, v), features));
            }
          }
        }
      }
      beamLevel = prune(next);
      return flipped;
    }

    // One state per feature set (the lowest margin), then the beamWidth lowest margins.
    List<State> prune(List<State> states) {
      Map<TreeSet<Integer>, State> best = new HashMap<>();
      Comparator<State> order =
          Comparator.comparingDouble(State::margin)
              .thenComparingDouble(State::cost)
              .thenComparing(st -> st.features().toString())
              .thenComparing(st -> Arrays.toString(st.row()));
      for (State st : states) {
        best.merge(st.features(), st, (p, q) -> order.compare(p, q) <= 0 ? p : q);
      }
      return best.values().stream().sorted(order).limit(options.beamWidth()).toList();
    }

    // Moves each changed feature to its cheapest value (possibly back to the applicant's) that
    // keeps the flip, then bisects continuous ones towards the applicant's value.
    double[] shrink(double[] row, TreeSet<Integer> features) {
      double[] r = row.clone();
      for (int j : features) {
        double current = cost(j, r[j]);
        if (flips(with(r, j, x[j]))) {
          r[j] = x[j];
          continue;
        }
        for (double v : values[j]) {
          if (cost(j, v) >= current) {
            break;
          }
          if (flips(with(r, j, v))) {
            r[j] = v;
            break;
          }
        }
        r = refine(r, j);
      }
      return r;
    }
  }
}
