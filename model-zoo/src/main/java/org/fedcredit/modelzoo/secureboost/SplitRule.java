package org.fedcredit.modelzoo.secureboost;

/**
 * A split on one of a party's binned features: rows with bin {@code ≤ thresholdBin} go left, rows
 * above go right, missing rows go the learned default direction. Known only to the owning party.
 */
public record SplitRule(int feature, int thresholdBin, boolean missingLeft) {

  public boolean goesLeft(int bin) {
    return bin == BinnedTable.MISSING ? missingLeft : bin <= thresholdBin;
  }
}
