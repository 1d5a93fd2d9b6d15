package org.fedcredit.xaiexplainer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribution of one model output (a margin, i.e. log-odds of default) to groups of features.
 *
 * <p>{@code baseValue + Σ contributions = output} up to floating-point rounding ({@link
 * #additivityError()}); {@link LinearShap} and {@link TreeShap} compute {@code output} from the
 * model independently of the attributions, so the identity is a real check.
 *
 * @param baseValue the expected model output E[f] under the explainer's reference distribution
 * @param contributions φ per group, indexed by group number
 * @param output the model output f(x) for the explained sample
 */
public record ShapValues(double baseValue, double[] contributions, double output) {

  public ShapValues {
    contributions = contributions.clone();
  }

  /** φ per group (a copy). */
  @Override
  public double[] contributions() {
    return contributions.clone();
  }

  /** φ of group {@code g}. */
  public double contribution(int g) {
    return contributions[g];
  }

  /** The number of groups. */
  public int groupCount() {
    return contributions.length;
  }

  /** {@code |baseValue + Σφ − output|}. */
  public double additivityError() {
    double sum = baseValue;
    for (double phi : contributions) {
      sum += phi;
    }
    return Math.abs(sum - output);
  }

  /**
   * The contributions keyed by group name, in group order: the input of {@link
   * ReasonCodes#principal}.
   *
   * @param groupNames one name per group, e.g. {@link FeatureGroups#names()}
   */
  public Map<String, Double> byName(List<String> groupNames) {
    if (groupNames.size() != contributions.length) {
      throw new IllegalArgumentException(
          "byName: "
              + groupNames.size()
              + " names for "
              + contributions.length
              + " groups; pass one name per group");
    }
    Map<String, Double> named = new LinkedHashMap<>();
    for (int g = 0; g < contributions.length; g++) {
      if (named.put(groupNames.get(g), contributions[g]) != null) {
        throw new IllegalArgumentException(
            "byName: group name '" + groupNames.get(g) + "' appears twice; names must be unique");
      }
    }
    return named;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShapValues s
        && Double.compare(baseValue, s.baseValue) == 0
        && Double.compare(output, s.output) == 0
        && Arrays.equals(contributions, s.contributions);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Double.hashCode(baseValue) + Double.hashCode(output))
        + Arrays.hashCode(contributions);
  }

  @Override
  public String toString() {
    return "ShapValues[baseValue="
        + baseValue
        + ", contributions="
        + Arrays.toString(contributions)
        + ", output="
        + output
        + "]";
  }
}
