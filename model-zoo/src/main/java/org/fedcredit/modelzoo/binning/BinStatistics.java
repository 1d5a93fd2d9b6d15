package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training rows and events ({@code y = 1}) per bin of one column: regular bins {@code
 * 0..regularBins−1} in value order, then the missing bin. This is what the bank holds for every
 * column (its own and, after decryption, each provider's); {@link #evaluate} applies {@link
 * WoeRules}.
 *
 * @param column the column's name as the bank knows it
 * @param regularBins number of regular bins, ≥ 1
 * @param rows training rows per bin
 * @param events rows with {@code y = 1} per bin, {@code 0 ≤ events ≤ rows}
 */
public record BinStatistics(String column, int regularBins, long[] rows, long[] events) {

  public BinStatistics {
    rows = rows.clone();
    events = events.clone();
    if (regularBins < 1 || rows.length != regularBins + 1 || events.length != rows.length) {
      throw new BinningException(
          "column '"
              + column
              + "': "
              + regularBins
              + " regular bins need "
              + (regularBins + 1)
              + " counts, got "
              + rows.length
              + " row counts and "
              + events.length
              + " event counts");
    }
    for (int b = 0; b < rows.length; b++) {
      if (rows[b] < 0 || events[b] < 0 || events[b] > rows[b]) {
        throw new BinningException(
            "column '"
                + column
                + "', bin "
                + b
                + ": "
                + events[b]
                + " events in "
                + rows[b]
                + " rows is impossible");
      }
    }
  }

  /** Counts a column in the clear: bins of each training row and its 0/1 label. */
  public static BinStatistics count(String column, int regularBins, int[] binOfRow, int[] labels) {
    long[] rows = new long[regularBins + 1];
    long[] events = new long[regularBins + 1];
    for (int i = 0; i < binOfRow.length; i++) {
      rows[binOfRow[i]]++;
      events[binOfRow[i]] += labels[i];
    }
    return new BinStatistics(column, regularBins, rows, events);
  }

  public long totalRows() {
    return Arrays.stream(rows).sum();
  }

  public long totalEvents() {
    return Arrays.stream(events).sum();
  }

  /** Copies, so that callers cannot change this value. */
  @Override
  public long[] rows() {
    return rows.clone();
  }

  @Override
  public long[] events() {
    return events.clone();
  }

  /** The counts of the groups of {@code groupOfBin} (see {@link ColumnBins#merge}). */
  public BinStatistics merge(int[] groupOfBin) {
    int groups = ColumnBins.checkGrouping(column, groupOfBin, regularBins);
    long[] r = new long[groups];
    long[] e = new long[groups];
    for (int b = 0; b < rows.length; b++) {
      r[groupOfBin[b]] += rows[b];
      e[groupOfBin[b]] += events[b];
    }
    return new BinStatistics(column, groups - 1, r, e);
  }

  /**
   * Groups the bins by {@code rules} (small bins, then the monotone merge) and computes the WOE of
   * each group and the column's IV.
   *
   * @throws BinningException if the training rows are all events or all non-events
   */
  public WoeEvaluation evaluate(WoeRules rules) {
    long totalEvents = totalEvents();
    long totalNonEvents = totalRows() - totalEvents;
    if (totalEvents == 0 || totalNonEvents == 0) {
      throw new BinningException(
          "column '"
              + column
              + "': the training rows have "
              + totalEvents
              + " events and "
              + totalNonEvents
              + " non-events; WOE needs both (check the label column and the training split)");
    }
    List<long[]> groups = new ArrayList<>(); // {firstBin, lastBin, rows, events}
    for (int b = 0; b < regularBins; b++) {
      groups.add(new long[] {b, b, rows[b], events[b]});
    }
    mergeSmall(groups, rules.minBinRows());
    if (rules.monotone()) {
      List<long[]> up = pav(groups, true, totalEvents, totalNonEvents, rules);
      List<long[]> down = pav(groups, false, totalEvents, totalNonEvents, rules);
      groups = choose(up, down, totalEvents, totalNonEvents, rules);
    }
    int[] groupOfBin = new int[regularBins + 1];
    for (int g = 0; g < groups.size(); g++) {
      for (long b = groups.get(g)[0]; b <= groups.get(g)[1]; b++) {
        groupOfBin[(int) b] = g;
      }
    }
    groupOfBin[regularBins] = groups.size();
    BinStatistics merged = merge(groupOfBin);
    double[] woe = new double[merged.rows.length];
    double iv = 0;
    for (int g = 0; g < woe.length; g++) {
      double[] wi = woeAndIv(merged.rows[g], merged.events[g], totalEvents, totalNonEvents, rules);
      woe[g] = wi[0];
      iv += wi[1];
    }
    return new WoeEvaluation(this, groupOfBin, merged, woe, iv);
  }

  /** {WOE, IV contribution} of one bin; WOE 0 and no IV for a bin below the minimum size. */
  static double[] woeAndIv(
      long rows, long events, long totalEvents, long totalNonEvents, WoeRules rules) {
    if (rows < rules.minBinRows() || rows == 0) {
      return new double[] {0, 0};
    }
    double e = events;
    double ne = rows - events;
    if (events == 0 || events == rows) {
      e += rules.smoothing();
      ne += rules.smoothing();
    }
    double pGood = ne / totalNonEvents;
    double pBad = e / totalEvents;
    double woe = Math.log(pGood / pBad);
    return new double[] {woe, (pGood - pBad) * woe};
  }

  private static void mergeSmall(List<long[]> groups, int minRows) {
    while (groups.size() > 1) {
      int smallest = -1;
      for (int g = 0; g < groups.size(); g++) {
        if (groups.get(g)[2] < minRows
            && (smallest < 0 || groups.get(g)[2] < groups.get(smallest)[2])) {
          smallest = g;
        }
      }
      if (smallest < 0) {
        return;
      }
      int other;
      if (smallest == 0) {
        other = 1;
      } else if (smallest == groups.size() - 1) {
        other = smallest - 1;
      } else {
        other =
            groups.get(smallest - 1)[2] <= groups.get(smallest + 1)[2]
                ? smallest - 1
                : smallest + 1;
      }
      int left = Math.min(smallest, other);
      groups.set(left, join(groups.get(left), groups.get(left + 1)));
      groups.remove(left + 1);
    }
  }

  private static long[] join(long[] a, long[] b) {
    return new long[] {a[0], b[1], a[2] + b[2], a[3] + b[3]};
  }

  /** Pool adjacent violators: the stack's neighbours are always strictly ordered. */
  private static List<long[]> pav(
      List<long[]> groups, boolean increasing, long te, long tne, WoeRules rules) {
    List<long[]> stack = new ArrayList<>();
    for (long[] g : groups) {
      stack.add(g);
      while (stack.size() >= 2) {
        long[] prev = stack.get(stack.size() - 2);
        long[] cur = stack.get(stack.size() - 1);
        double wp = woeAndIv(prev[2], prev[3], te, tne, rules)[0];
        double wc = woeAndIv(cur[2], cur[3], te, tne, rules)[0];
        boolean ordered = increasing ? wp < wc : wp > wc;
        if (ordered) {
          break;
        }
        stack.remove(stack.size() - 1);
        stack.set(stack.size() - 1, join(prev, cur));
      }
    }
    return stack;
  }

  private static List<long[]> choose(
      List<long[]> up, List<long[]> down, long te, long tne, WoeRules rules) {
    if (up.size() != down.size()) {
      return up.size() > down.size() ? up : down;
    }
    return iv(down, te, tne, rules) > iv(up, te, tne, rules) ? down : up;
  }

  private static double iv(List<long[]> groups, long te, long tne, WoeRules rules) {
    double iv = 0;
    for (long[] g : groups) {
      iv += woeAndIv(g[2], g[3], te, tne, rules)[1];
    }
    return iv;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinStatistics s
        && column.equals(s.column)
        && regularBins == s.regularBins
        && Arrays.equals(rows, s.rows)
        && Arrays.equals(events, s.events);
  }

  @Override
  public int hashCode() {
    return column.hashCode() * 31 + Arrays.hashCode(rows);
  }

  @Override
  public String toString() {
    return "BinStatistics["
        + column
        + ", rows "
        + Arrays.toString(rows)
        + ", events "
        + Arrays.toString(events)
        + "]";
  }
}
