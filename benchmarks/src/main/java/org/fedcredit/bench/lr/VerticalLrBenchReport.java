package org.fedcredit.bench.lr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.EffectiveParameters;
import org.fedcredit.secagg.paillier.EngineTimings;
import org.fedcredit.secagg.paillier.EngineTimings.Op;

/**
 * The outcome of one {@link VerticalLrBenchmark} run.
 *
 * <p>The time split ({@code time_split}) gives, per Paillier operation kind, wall seconds as
 * accounted by {@link EngineTimings} (concurrent kinds share an interval, so the parts never sum to
 * more than the total), the calls, the elements (ciphertexts, or terms rows × columns for the
 * matrix product) and a rate; {@code other} is the total minus the timed parts.
 *
 * @param config what was run
 * @param seconds wall time of the whole training, all three parties (key generation included)
 * @param epochSeconds wall seconds of each epoch, as seen by the coordinator (the first includes
 *     key generation and the key exchange)
 * @param losses the mean Taylor loss of each epoch
 * @param auc training-set AUC of the trained model (sanity check)
 * @param split {@link EngineTimings} over the run
 * @param bytesByPair serialised bytes sent, per "from->to" pair
 * @param crypto the coordinator's effective crypto parameters (null if unknown)
 * @param cores available processors
 * @param java {@code java.version}
 * @param loadAverage the one-minute load average at the end of the run
 */
public record VerticalLrBenchReport(
    VerticalLrBenchmark.Config config,
    double seconds,
    double[] epochSeconds,
    double[] losses,
    double auc,
    EngineTimings.Snapshot split,
    Map<String, Long> bytesByPair,
    EffectiveParameters crypto,
    int cores,
    String java,
    double loadAverage) {

  /** FATE 2.0, coordinated LR, this shape, 1024-bit keys, two 16-core hosts: 2 min 16 s. */
  public static final double FATE_SECONDS_PER_EPOCH = 136;

  public double secondsPerEpoch() {
    return seconds / Math.max(1, epochSeconds.length);
  }

  /** Seconds not in any timed operation: total minus the sum of the timed parts (≥ 0). */
  public double otherSeconds() {
    return Math.max(0, seconds - timedSeconds());
  }

  /** Σ wall seconds of the timed operations, capped at the total. */
  public double timedSeconds() {
    return Math.min(seconds, split.timedSeconds());
  }

  private static String key(Op op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  public String toJson(ObjectMapper mapper) {
    ObjectNode o = mapper.createObjectNode();
    o.put("rows", config.rows());
    ObjectNode cols = o.putObject("columns_per_party");
    cols.put(VerticalLrBenchmark.BANK.name(), config.labelFeatures());
    cols.put(VerticalLrBenchmark.PROVIDER.name(), config.featurePartyFeatures());
    o.put("epochs", epochSeconds.length);
    o.put("batch_size", config.effectiveBatchSize());
    o.put("batches_per_epoch", config.batchesPerEpoch());
    o.put("crypto", config.crypto().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    o.put("key_bits", config.keyBits());
    o.put("feature_scale_bits", config.featureScaleBits());
    o.put("seconds", round(seconds, 3));
    o.put("seconds_per_epoch", round(secondsPerEpoch(), 3));
    ArrayNode ep = o.putArray("epoch_seconds");
    for (double s : epochSeconds) {
      ep.add(round(s, 3));
    }
    ArrayNode ls = o.putArray("epoch_losses");
    for (double l : losses) {
      ls.add(round(l, 6));
    }
    o.put("train_auc", Double.isNaN(auc) ? null : round(auc, 4));
    ObjectNode t = o.putObject("time_split");
    for (var e : split.stats().entrySet()) {
      EngineTimings.Stat st = e.getValue();
      ObjectNode x = t.putObject(key(e.getKey()));
      x.put("seconds", round(st.wallSeconds(), 3));
      x.put("share", round(st.wallSeconds() / seconds, 4));
      x.put("calls", st.calls());
      x.put(e.getKey() == Op.MULTIPLY_MATRIX ? "terms" : "elements", st.elements());
      x.put("call_seconds", round(st.callSeconds(), 3));
      if (st.elements() > 0 && st.callSeconds() > 0) {
        if (e.getKey() == Op.MULTIPLY_MATRIX) {
          x.put("us_per_term", round(st.callSeconds() * 1e6 / st.elements(), 3));
        } else {
          x.put("per_s", Math.round(st.elements() / st.callSeconds()));
        }
      }
    }
    ObjectNode other = t.putObject("other");
    other.put("seconds", round(otherSeconds(), 3));
    other.put("share", round(otherSeconds() / seconds, 4));
    ObjectNode bytes = o.putObject("bytes_by_pair");
    long total = 0;
    for (var e : new java.util.TreeMap<>(bytesByPair).entrySet()) {
      bytes.put(e.getKey(), e.getValue());
      total += e.getValue();
    }
    o.put("bytes_total", total);
    if (crypto != null) {
      o.put("kernel", crypto.kernel());
      o.put("engine_threads", crypto.threads());
    }
    o.put("cores", cores);
    o.put("java", java);
    o.put("load_average", round(loadAverage, 2));
    o.put("psi_included", false);
    o.put("fate_reference_seconds_per_epoch", FATE_SECONDS_PER_EPOCH);
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
            "Vertical LR (%s, %d-bit key), bank + one provider + coordinator in one JVM; PSI not"
                + " included%n"
                + "  rows                 %,d%n"
                + "  columns              bank %d (+ labels), provider %d%n"
                + "  batches              %d per epoch of %,d rows%n"
                + "  epochs               %d, %.2f s per epoch (%s)%n"
                + "  total                %.2f s%n"
                + "  training AUC         %.4f%n",
            config.crypto() == CryptoMode.PAILLIER ? "Paillier" : "PLAINTEXT, insecure",
            config.keyBits(),
            config.rows(),
            config.labelFeatures(),
            config.featurePartyFeatures(),
            config.batchesPerEpoch(),
            config.effectiveBatchSize(),
            epochSeconds.length,
            secondsPerEpoch(),
            epochList(),
            seconds,
            auc));
    b.append(String.format("  where the time goes  (wall s, share; rate over call time)%n"));
    for (var e : split.stats().entrySet()) {
      EngineTimings.Stat st = e.getValue();
      String rate = "";
      if (st.elements() > 0 && st.callSeconds() > 0) {
        rate =
            e.getKey() == Op.MULTIPLY_MATRIX
                ? String.format(
                    Locale.ROOT,
                    "%,d terms, %.2f µs/term",
                    st.elements(),
                    st.callSeconds() * 1e6 / st.elements())
                : String.format(
                    Locale.ROOT, "%,d, %,.0f/s", st.elements(), st.elements() / st.callSeconds());
      }
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
            "    %-16s %9.2f s %5.1f%%%n",
            "other",
            otherSeconds(),
            100 * otherSeconds() / seconds));
    b.append(String.format("  bytes sent%n"));
    for (var e : new java.util.TreeMap<>(bytesByPair).entrySet()) {
      b.append(String.format(Locale.ROOT, "    %-24s %,d%n", e.getKey(), e.getValue()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  machine              %d cores, Java %s, %s, load average %.2f%n"
                + "  FATE 2.0 reference   %.0f s per epoch for 100,000 rows x 30 + 300 columns,"
                + " 1024-bit keys, two 16-core hosts%n",
            cores,
            java,
            crypto == null ? "?" : crypto.kernel(),
            loadAverage,
            FATE_SECONDS_PER_EPOCH));
    return b.toString();
  }

  private String epochList() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < epochSeconds.length && i < 10; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", epochSeconds[i]));
    }
    return b.append(epochSeconds.length > 10 ? ", ..." : "").toString();
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
