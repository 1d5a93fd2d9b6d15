package org.fedcredit.modelzoo.binning;

import java.util.List;

/** How the cut points of one column are chosen on the training rows. */
public sealed interface BinningMethod {

  /**
   * Quantile bins, cut points as {@link org.fedcredit.modelzoo.preprocess.QuantileBinner} (numpy's
   * linear quantiles of the observed values, equal edges merged: heavy ties give fewer bins).
   */
  record Quantile(int bins) implements BinningMethod {
    public Quantile {
      requireBins(bins);
    }
  }

  /**
   * {@code bins} bins of equal width between the observed training minimum and maximum; a constant
   * column gets one bin.
   */
  record EqualWidth(int bins) implements BinningMethod {
    public EqualWidth {
      requireBins(bins);
    }
  }

  /** Explicit cut points, finite and strictly increasing (a value equal to a cut goes up). */
  record Manual(List<Double> cutPoints) implements BinningMethod {
    public Manual {
      cutPoints = List.copyOf(cutPoints);
      ColumnBins.checkCuts("manual binning", cutPoints);
    }
  }

  /** A 0/1 indicator column (e.g. a one-hot category): bins "0" and "1"; other values rejected. */
  record Indicator() implements BinningMethod {}

  private static void requireBins(int bins) {
    if (bins < 2) {
      throw new BinningException("a binning method needs at least 2 bins, got " + bins);
    }
  }
}
