package org.fedcredit.modelzoo.secureboost;

import java.util.List;

/**
 * One party's rows as bin indices, the input of SecureBoost: {@code bins[row][feature]} is in
 * {@code [0, binCounts[feature])} or {@link #MISSING}. Rows are aligned across parties (PSI order).
 * Built by {@link TreeBinning}. The arrays are not copied: treat them as immutable.
 */
public record BinnedTable(List<String> featureNames, int[] binCounts, int[][] bins) {

  /** The bin index of a missing value (NaN or empty cell). */
  public static final int MISSING = -1;

  public BinnedTable {
    featureNames = List.copyOf(featureNames);
    if (binCounts.length != featureNames.size()) {
      throw new IllegalArgumentException(
          binCounts.length + " bin counts for " + featureNames.size() + " features");
    }
    for (int i = 0; i < bins.length; i++) {
      if (bins[i].length != binCounts.length) {
        throw new IllegalArgumentException(
            "row " + i + " has " + bins[i].length + " bins, expected " + binCounts.length);
      }
      for (int j = 0; j < binCounts.length; j++) {
        int b = bins[i][j];
        if (b != MISSING && (b < 0 || b >= binCounts[j])) {
          throw new IllegalArgumentException(
              "row "
                  + i
                  + ", feature "
                  + featureNames.get(j)
                  + ": bin "
                  + b
                  + " outside [0, "
                  + binCounts[j]
                  + ") and not MISSING");
        }
      }
    }
  }

  public int rows() {
    return bins.length;
  }

  public int features() {
    return binCounts.length;
  }
}
