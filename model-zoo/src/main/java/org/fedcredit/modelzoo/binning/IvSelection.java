package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Selects columns across all parties by information value: keep those with {@code IV ≥ minIv}, then
 * at most the {@code topK} highest. Run by the bank, which knows every column's IV under its
 * qualified name ({@code party/column}); each party then keeps its selected columns.
 *
 * <p>Default ({@link #all()}): keep everything. Order of the result: IV descending, ties by name.
 * The usual reading of IV: &lt; 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, &gt; 0.3 strong (and
 * &gt; 0.5 suspiciously strong: check for leakage).
 *
 * @param minIv smallest IV kept, ≥ 0 (0 keeps all)
 * @param topK most columns kept, ≥ 1, or 0 for no limit
 */
public record IvSelection(double minIv, int topK) {

  public IvSelection {
    if (!(minIv >= 0) || Double.isInfinite(minIv)) {
      throw new BinningException("IV threshold must be a finite number ≥ 0, got " + minIv);
    }
    if (topK < 0) {
      throw new BinningException("top-k must be ≥ 1, or 0 for no limit; got " + topK);
    }
  }

  public static IvSelection all() {
    return new IvSelection(0, 0);
  }

  public static IvSelection threshold(double minIv) {
    return new IvSelection(minIv, 0);
  }

  public static IvSelection topK(int k) {
    if (k < 1) {
      throw new BinningException("top-k must be at least 1, got " + k);
    }
    return new IvSelection(0, k);
  }

  /** The selected names of {@code ivByName}, IV descending then name ascending. */
  public List<String> select(Map<String, Double> ivByName) {
    List<Map.Entry<String, Double>> kept = new ArrayList<>();
    for (var e : ivByName.entrySet()) {
      if (e.getValue() >= minIv) {
        kept.add(e);
      }
    }
    kept.sort(
        Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    List<String> out = new ArrayList<>();
    for (var e : kept) {
      if (topK > 0 && out.size() == topK) {
        break;
      }
      out.add(e.getKey());
    }
    return List.copyOf(out);
  }
}
