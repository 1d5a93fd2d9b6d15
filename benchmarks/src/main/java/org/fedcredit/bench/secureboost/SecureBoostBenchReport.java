package org.fedcredit.bench.secureboost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.EngineTimings;
import org.fedcredit.secagg.paillier.EngineTimings.Op;

/**
 * The outcome of one {@link SecureBoostBenchmark} run.
 *
 * <p>The time split ({@code time_split}) gives, per Paillier operation kind, wall seconds as
 * accounted by {@link EngineTimings} (concurrent kinds share an interval, so the parts never sum to
 * more than the total), the calls, the elements and a rate; {@code other} is the total minus the
 * timed parts: in SecureBoost mostly the provider's encrypted histogram additions.
 *
 * @param config what was run
 * @param seconds wall time of the whole training, both parties (key generation included)
 * @param treeSeconds wall seconds of each tree, as seen by the bank (the first includes key
 *     generation and the key exchange)
 * @param nodesAsked nodes the bank asked the provider to evaluate (all trees)
 * @param bankSplits split nodes won by the bank's own features
 * @param providerSplits split nodes won by the provider's features
 * @param leaves leaves over all trees
 * @param histogramsFromRows encrypted histograms the provider built by adding rows
 * @param histogramsBySubtraction encrypted histograms the provider got as parent − sibling
 * @param auc training-set AUC (no hold-out; a sanity check only)
 * @param split {@link EngineTimings} over the run
 * @param bytesByPair serialised bytes sent, per "from->to" pair
 * @param heapPeakBytes the peak of used heap during training, sampled every 20 ms
 * @param heapMaxBytes the JVM's maximum heap
 * @param engineThreads threads of each party's Paillier engine
 * @param cores available processors
 * @param java {@code java.version}
 * @param loadAverage the one-minute load average at the end of the run
 */
public record SecureBoostBenchReport(
    SecureBoostBenchmark.Config config,
    double seconds,
    double[] treeSeconds,
    long nodesAsked,
    int bankSplits,
    int providerSplits,
    int leaves,
    int histogramsFromRows,
    int histogramsBySubtraction,
    double auc,
    EngineTimings.Snapshot split,
    Map<String, Long> bytesByPair,
    long heapPeakBytes,
    long heapMaxBytes,
    int engineThreads,
    int cores,
    String java,
    double loadAverage) {

  /**
   * FATE 2.0, SecureBoost (hetero, one guest + one host), 100,000 rows × 30 + 300 columns, depth 3,
   * 1024-bit keys, 16-core hosts: 1 min 54 s per tree.
   */
  public static final double FATE_SECONDS_PER_TREE = 114;

  public double secondsPerTree() {
    return seconds / Math.max(1, treeSeconds.length);
  }

  /** Seconds not in any timed operation: total minus the sum of the timed parts (≥ 0). */
  public double otherSeconds() {
    return Math.max(0, seconds - Math.min(seconds, split.timedSeconds()));
  }

  /** Whether the run is this shape of the FATE reference (only then is the comparison fair). */
  public boolean fateShape() {
    return config.rows() == 100_000
        && config.labelFeatures() == 30
        && config.featurePartyFeatures() == 300
        && config.depth() == 3
        && config.crypto() == CryptoMode.PAILLIER;
  }

  private static String key(Op op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  private long bytesTotal() {
    return bytesByPair.values().stream().mapToLong(Long::longValue).sum();
  }

  public String toJson(ObjectMapper mapper) {
    ObjectNode o = mapper.createObjectNode();
    o.put("rows", config.rows());
    ObjectNode cols = o.putObject("columns_per_party");
    cols.put(SecureBoostBenchmark.BANK.name(), config.labelFeatures());
    cols.put(SecureBoostBenchmark.PROVIDER.name(), config.featurePartyFeatures());
    o.put("trees", treeSeconds.length);
    o.put("depth", config.depth());
    o.put("bins", config.bins());
    o.put("crypto", config.crypto().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    o.put("key_bits", config.keyBits());
    o.put("seconds", round(seconds, 3));
    o.put("seconds_per_tree", round(secondsPerTree(), 3));
    ArrayNode ts = o.putArray("tree_seconds");
    for (double s : treeSeconds) {
      ts.add(round(s, 3));
    }
    o.put("nodes_asked", nodesAsked);
    o.put("bank_splits", bankSplits);
    o.put("provider_splits", providerSplits);
    o.put("leaves", leaves);
    o.put("histograms_from_rows", histogramsFromRows);
    o.put("histograms_by_subtraction", histogramsBySubtraction);
    o.put("train_auc", Double.isNaN(auc) ? null : round(auc, 4));
    o.put("holdout", false);
    ObjectNode t = o.putObject("time_split");
    for (var e : split.stats().entrySet()) {
      EngineTimings.Stat st = e.getValue();
      ObjectNode x = t.putObject(key(e.getKey()));
      x.put("seconds", round(st.wallSeconds(), 3));
      x.put("share", round(st.wallSeconds() / seconds, 4));
      x.put("calls", st.calls());
      x.put(e.getKey() == Op.MULTIPLY_MATRIX ? "terms" : "elements", st.elements());
      x.put("call_seconds", round(st.callSeconds(), 3));
      if (st.elements() > 0
          && st.callSeconds() > 0
          && e.getKey() != Op.MULTIPLY_MATRIX
          && e.getKey() != Op.KEYGEN) {
        x.put("per_s", Math.round(st.elements() / st.callSeconds()));
      }
    }
    ObjectNode other = t.putObject("other");
    other.put("seconds", round(otherSeconds(), 3));
    other.put("share", round(otherSeconds() / seconds, 4));
    ObjectNode bytes = o.putObject("bytes_by_pair");
    for (var e : new TreeMap<>(bytesByPair).entrySet()) {
      bytes.put(e.getKey(), e.getValue());
    }
    o.put("bytes_total", bytesTotal());
    o.put("heap_peak_mb", round(heapPeakBytes / 1048576.0, 1));
    o.put("heap_max_mb", round(heapMaxBytes / 1048576.0, 1));
    o.put("engine_threads", engineThreads);
    o.put("cores", cores);
    o.put("java", java);
    o.put("load_average", round(loadAverage, 2));
    o.put("psi_included", false);
    o.put("fate_reference_seconds_per_tree", FATE_SECONDS_PER_TREE);
    o.put("fate_shape", fateShape());
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toTable() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "SecureBoost (%s, %d-bit key), bank + one provider in one JVM; PSI not included, no"
                + " hold-out%n"
                + "  rows                 %,d%n"
                + "  columns              bank %d (+ labels), provider %d; at most %d bins%n"
                + "  trees                %d of depth %d, %.2f s per tree (%s)%n"
                + "  total                %.2f s%n"
                + "  nodes                %d asked; splits bank %d, provider %d; %d leaves%n"
                + "  provider histograms  %d from rows, %d by subtraction%n"
                + "  training AUC         %.4f%n",
            config.crypto() == CryptoMode.PAILLIER ? "Paillier" : "PLAINTEXT, insecure",
            config.keyBits(),
            config.rows(),
            config.labelFeatures(),
            config.featurePartyFeatures(),
            config.bins(),
            treeSeconds.length,
            config.depth(),
            secondsPerTree(),
            treeList(),
            seconds,
            nodesAsked,
            bankSplits,
            providerSplits,
            leaves,
            histogramsFromRows,
            histogramsBySubtraction,
            auc));
    b.append(String.format("  where the time goes  (wall s, share; rate over call time)%n"));
    for (var e : split.stats().entrySet()) {
      if (e.getKey() == Op.MULTIPLY_MATRIX && e.getValue().calls() == 0) {
        continue; // SecureBoost has no matrix product
      }
      EngineTimings.Stat st = e.getValue();
      String rate =
          st.elements() > 0 && st.callSeconds() > 0
              ? String.format(
                  Locale.ROOT, "%,d, %,.0f/s", st.elements(), st.elements() / st.callSeconds())
              : "";
      b.append(
          String.format(
              Locale.ROOT,
              "    %-16s %9.2f s %5.1f%%  %s%n",
              key(e.getKey()),
              st.wallSeconds(),
              100 * st.wallSeconds() / seconds,
              rate));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "    %-16s %9.2f s %5.1f%%  (child histograms by subtraction, the bank's plaintext work,"
                + " messages)%n",
            "other",
            otherSeconds(),
            100 * otherSeconds() / seconds));
    b.append(String.format("  bytes sent%n"));
    for (var e : new TreeMap<>(bytesByPair).entrySet()) {
      b.append(String.format(Locale.ROOT, "    %-24s %,d%n", e.getKey(), e.getValue()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  heap peak            %,.0f MB of %,.0f MB%n"
                + "  machine              %d cores, %d engine threads per party, Java %s, load"
                + " average %.2f%n"
                + "  FATE 2.0 reference   %.0f s per tree for 100,000 rows x 30 + 300 columns,"
                + " depth 3, 1024-bit keys, 16-core hosts%s%n",
            heapPeakBytes / 1048576.0,
            heapMaxBytes / 1048576.0,
            cores,
            engineThreads,
            java,
            loadAverage,
            FATE_SECONDS_PER_TREE,
            fateShape() ? "" : " (not this shape)"));
    return b.toString();
  }

  private String treeList() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < treeSeconds.length && i < 10; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", treeSeconds[i]));
    }
    return b.append(treeSeconds.length > 10 ? ", ..." : "").toString();
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
