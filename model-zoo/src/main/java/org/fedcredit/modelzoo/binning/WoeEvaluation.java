package org.fedcredit.modelzoo.binning;

import java.util.Arrays;

/**
 * The bank's result for one column: how its bins were grouped, the counts per group, the WOE per
 * group and the column's information value {@code IV = Σ (%non-events − %events)·WOE}.
 *
 * @param original the counts per original bin
 * @param groupOfBin for each original bin its group
 * @param grouped counts per group (regular groups, then the missing bin)
 * @param woe per group
 * @param iv of the column
 */
public record WoeEvaluation(
    BinStatistics original, int[] groupOfBin, BinStatistics grouped, double[] woe, double iv) {

  public WoeEvaluation {
    groupOfBin = groupOfBin.clone();
    woe = woe.clone();
  }

  @Override
  public int[] groupOfBin() {
    return groupOfBin.clone();
  }

  @Override
  public double[] woe() {
    return woe.clone();
  }

  /** Whether the WOE of the regular groups is strictly monotone (either direction). */
  public boolean isMonotone() {
    int m = grouped.regularBins();
    boolean up = true;
    boolean down = true;
    for (int g = 1; g < m; g++) {
      up &= woe[g - 1] < woe[g];
      down &= woe[g - 1] > woe[g];
    }
    return up || down;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WoeEvaluation w
        && original.equals(w.original)
        && Arrays.equals(groupOfBin, w.groupOfBin)
        && Arrays.equals(woe, w.woe)
        && iv == w.iv;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(woe);
  }
}
