package org.fedcredit.xaiexplainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fedcredit.xaiexplainer.Counterfactuals.Change;
import org.fedcredit.xaiexplainer.Counterfactuals.Recourse;
import org.fedcredit.xaiexplainer.Counterfactuals.Suggestion;
import org.fedcredit.xaiexplainer.FeatureSpec.Direction;
import org.junit.jupiter.api.Test;

class CounterfactualsTest {

  @Test
  void aLinearScoreGetsTheExactMinimalChangeOnTheCheapestCharacteristic() {
    double[] w = {0.8, -0.5, 1.5, 0.3};
    ToDoubleFunction<double[]> f = row -> -0.2 + dot(w, row);
    List<FeatureSpec> specs =
        List.of(
            FeatureSpec.actionable("bank:utilization", -5, 5, Direction.DOWN, false, 1.0),
            FeatureSpec.actionable("bank:years", -5, 5, Direction.UP, false, 1.0),
            FeatureSpec.immutable("provider:age"), // the strongest weight, but frozen
            FeatureSpec.actionable("bank:overdue", -5, 5, Direction.BOTH, false, 2.0));
    double[] x = {1.0, 0.0, 1.0, 0.5};
    double m0 = f.applyAsDouble(x); // −0.2 + 0.8 + 1.5 + 0.15 = 2.25
    Recourse r = new Counterfactuals(specs, f, 0.0).find(x);

    // Margin per unit cost |w|·scale: utilisation 0.8, years 0.5, overdue 0.6 (but its bound −5
    // stops it at 0.3·5.5 = 1.65 < 2.25, so it needs help from another characteristic).
    Suggestion best = r.suggestions().get(0);
    assertThat(best.changes()).extracting(Change::name).containsExactly("bank:utilization");
    assertThat(best.changes().get(0).to()).isCloseTo(1.0 - m0 / 0.8, within(1e-9));
    assertThat(best.cost()).isCloseTo(m0 / 0.8, within(1e-9));
    assertThat(best.margin()).isLessThanOrEqualTo(0.0).isCloseTo(0.0, within(1e-9));
    // The L1 optimum without the utilisation: overdue to its bound, then years for the rest.
    Suggestion pair = r.suggestions().get(1);
    assertThat(pair.changes())
        .extracting(Change::name)
        .containsExactly("bank:years", "bank:overdue");
    assertThat(pair.changes().get(1).to()).isEqualTo(-5.0);
    assertThat(pair.cost()).isCloseTo(5.5 / 2 + (m0 - 1.65) / 0.5, within(1e-9));
    Suggestion years = r.suggestions().get(2);
    assertThat(years.changes()).extracting(Change::name).containsExactly("bank:years");
    assertThat(years.cost()).isCloseTo(m0 / 0.5, within(1e-9));
    assertThat(r.reason()).isEmpty();
  }

  @Test
  void aStepScoreIsCrossedJustPastTheCallersBreakpoint() {
    ToDoubleFunction<double[]> f = row -> row[0] <= 3.5 ? 2 : -1;
    FeatureSpec spec =
        FeatureSpec.actionable("provider:x0", 0, 10, Direction.BOTH, false, 2.0)
            .withCandidates(3.5, 7.25);
    Recourse r = new Counterfactuals(List.of(spec), f, 0).find(new double[] {1});
    assertThat(r.suggestions()).hasSize(1);
    double to = r.suggestions().get(0).changes().get(0).to();
    assertThat(to).isGreaterThan(3.5).isLessThanOrEqualTo(3.5 + 2e-6);
  }

  @Test
  void anApplicantOutsideTheBoundsIsMovedOnlyToAllowedValues() {
    // The score would flip anywhere above −4.9, but the lowest allowed value is −4.
    ToDoubleFunction<double[]> f = row -> row[0] <= -4.9 ? 1 : -1;
    FeatureSpec spec = FeatureSpec.actionable("a", -4, 4, Direction.BOTH, false, 1);
    Recourse r = new Counterfactuals(List.of(spec), f, 0).find(new double[] {-5.5});
    assertThat(r.suggestions()).hasSize(1);
    assertThat(r.suggestions().get(0).changes().get(0).to()).isEqualTo(-4.0);
  }

  @Test
  void findsAPairWhenNoSingleChangeFlips() {
    ToDoubleFunction<double[]> f =
        row -> 1 - 0.6 * (row[0] > 1 ? 1 : 0) - 0.6 * (row[1] > 2 ? 1 : 0) + 0.1 * row[2];
    List<FeatureSpec> specs =
        List.of(
            FeatureSpec.actionable("a", 0, 10, Direction.UP, true, 1).withCandidates(1),
            FeatureSpec.actionable("b", 0, 10, Direction.UP, true, 1).withCandidates(2),
            FeatureSpec.immutable("c"));
    Recourse r = new Counterfactuals(specs, f, 0).find(new double[] {0, 0, 1});
    assertThat(r.suggestions()).hasSize(1);
    Suggestion s = r.suggestions().get(0);
    assertThat(s.changes()).extracting(Change::to).containsExactly(2.0, 3.0);
    assertThat(s.cost()).isEqualTo(5.0);
    assertThat(f.applyAsDouble(s.apply(new double[] {0, 0, 1}))).isLessThanOrEqualTo(0);
  }

  @Test
  void noSuggestionWhenNothingWithinBoundsFlips() {
    ToDoubleFunction<double[]> f = row -> 3 - 0.1 * row[0] + row[1];
    List<FeatureSpec> specs =
        List.of(
            FeatureSpec.actionable("a", 0, 10, Direction.BOTH, false, 1),
            FeatureSpec.immutable("b"));
    Recourse r = new Counterfactuals(specs, f, 0).find(new double[] {5, 0});
    assertThat(r.suggestions()).isEmpty();
    assertThat(r.reason()).get().asString().contains("no change of at most 3");

    Recourse frozen =
        new Counterfactuals(List.of(FeatureSpec.immutable("b")), row -> 1, 0)
            .find(new double[] {0});
    assertThat(frozen.reason()).get().asString().contains("no actionable characteristic");

    Recourse approved = new Counterfactuals(specs, f, 10).find(new double[] {5, 0});
    assertThat(approved.suggestions()).isEmpty();
    assertThat(approved.reason()).get().asString().startsWith("already approved");
  }

  @Test
  void isDeterministic() {
    Random r = new Random(5);
    Problem p = Problem.random(r);
    Recourse a = new Counterfactuals(p.specs, p.score, p.threshold).find(p.applicant);
    Recourse b = new Counterfactuals(p.specs, p.score, p.threshold).find(p.applicant);
    assertThat(b).isEqualTo(a);
  }

  @Property(tries = 60)
  void everySuggestionFlipsKeepsImmutablesAndBoundsAndIsDiverse(@ForAll long seed) {
    Problem p = Problem.random(new Random(seed));
    Recourse r = new Counterfactuals(p.specs, p.score, p.threshold).find(p.applicant);
    assertThat(r.suggestions().size()).isLessThanOrEqualTo(3);
    assertThat(r.reason().isPresent()).isEqualTo(r.suggestions().isEmpty());
    List<Set<Integer>> sets = new ArrayList<>();
    for (Suggestion s : r.suggestions()) {
      double[] row = s.apply(p.applicant);
      double rescored = p.score.applyAsDouble(row);
      assertThat(rescored).isLessThanOrEqualTo(p.threshold).isEqualTo(s.margin());
      assertThat(s.changes()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
      double cost = 0;
      Set<Integer> set = new HashSet<>();
      for (Change c : s.changes()) {
        FeatureSpec spec = p.specs.get(c.feature());
        assertThat(spec.actionable()).as(spec.name()).isTrue();
        assertThat(c.from()).isEqualTo(p.applicant[c.feature()]);
        assertThat(c.to()).isBetween(spec.min(), spec.max()).isNotEqualTo(c.from());
        if (spec.direction() == Direction.UP) {
          assertThat(c.to()).isGreaterThan(c.from());
        } else if (spec.direction() == Direction.DOWN) {
          assertThat(c.to()).isLessThan(c.from());
        }
        if (spec.integer()) {
          assertThat(c.to()).isEqualTo(Math.rint(c.to()));
        }
        cost += Math.abs(c.to() - c.from()) / spec.scale();
        set.add(c.feature());
      }
      for (int j = 0; j < row.length; j++) {
        if (!set.contains(j)) {
          assertThat(row[j]).isEqualTo(p.applicant[j]);
        }
      }
      assertThat(s.cost()).isCloseTo(cost, within(1e-12));
      for (Set<Integer> earlier : sets) {
        assertThat(set.containsAll(earlier)).as("a superset of an earlier suggestion").isFalse();
      }
      sets.add(set);
    }
    for (int i = 1; i < r.suggestions().size(); i++) {
      assertThat(r.suggestions().get(i).cost())
          .isGreaterThanOrEqualTo(r.suggestions().get(i - 1).cost());
    }
  }

  /** A random refused applicant under a score mixing linear terms and tree-like steps. */
  private record Problem(
      List<FeatureSpec> specs,
      ToDoubleFunction<double[]> score,
      double threshold,
      double[] applicant) {
    static Problem random(Random r) {
      int n = 2 + r.nextInt(5);
      double[] w = new double[n];
      double[] cut = new double[n];
      double[] jump = new double[n];
      double[] x = new double[n];
      List<FeatureSpec> specs = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        w[j] = r.nextGaussian() * 0.5;
        cut[j] = Math.rint(r.nextGaussian() * 2 * 4) / 4;
        jump[j] = r.nextGaussian();
        boolean integer = r.nextInt(3) == 0;
        x[j] = integer ? Math.rint(r.nextGaussian() * 2) : r.nextGaussian() * 2;
        if (r.nextInt(4) == 0) {
          specs.add(FeatureSpec.immutable("f" + j));
        } else {
          Direction d = Direction.values()[r.nextInt(3)];
          specs.add(
              FeatureSpec.actionable("f" + j, -4, 4, d, integer, 0.5 + r.nextDouble())
                  .withCandidates(cut[j]));
        }
      }
      ToDoubleFunction<double[]> f =
          row -> {
            double m = 0;
            for (int j = 0; j < n; j++) {
              m += w[j] * row[j] + (row[j] > cut[j] ? jump[j] : 0);
            }
            return m;
          };
      double threshold = f.applyAsDouble(x) - 0.2 - r.nextDouble() * 2; // refused
      return new Problem(specs, f, threshold, x);
    }
  }

  private static double dot(double[] w, double[] x) {
    double s = 0;
    for (int k = 0; k < w.length; k++) {
      s += w[k] * x[k];
    }
    return s;
  }
}
