package org.fedcredit.transport.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one FedCredit node (participant or coordinator), in a Micrometer {@link
 * PrometheusMeterRegistry} (Prometheus Java client 1.x underneath). Every series carries the common
 * label {@code party} (this node's party id). The FedCredit meters, as Prometheus sees them:
 *
 * <table>
 *   <caption>FedCredit meters</caption>
 *   <tr><th>series</th><th>type</th><th>fed by</th></tr>
 *   <tr><td>{@code fedcredit_federation_bytes_sent_total{peer}}</td><td>counter</td>
 *       <td>{@link #bytesSent}: payload bytes this node sent to {@code peer}</td></tr>
 *   <tr><td>{@code fedcredit_federation_bytes_received_total{peer}}</td><td>counter</td>
 *       <td>{@link #bytesReceived}: payload bytes received from {@code peer}</td></tr>
 *   <tr><td>{@code fedcredit_paillier_operations_total{op}}</td><td>counter</td>
 *       <td>{@link #paillierOps}: e.g. {@code op="encrypt"}, {@code "decrypt"}, {@code "add"},
 *       {@code "multiply_plain"}, {@code "rerandomize"}</td></tr>
 *   <tr><td>{@code fedcredit_step_duration_seconds_count|_sum|_max{job_step}}</td><td>timer</td>
 *       <td>{@link #recordStep}: wall time of one job step ({@code psi}, {@code binning},
 *       {@code train}…)</td></tr>
 *   <tr><td>{@code fedcredit_jobs{state}}</td><td>gauge</td>
 *       <td>{@link #jobsByState}: number of jobs per state, read at each {@link #scrape()}</td></tr>
 * </table>
 *
 * <p>Plus the JVM's: {@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code
 * jvm_classes_*}, {@code process_cpu_usage}, {@code system_cpu_*}, {@code process_uptime_seconds}.
 *
 * <p>Label values (peer ids, op and step names) should come from a small closed set; each distinct
 * value is a new time series. Thread-safe.
 */
public final class NodeMetrics implements AutoCloseable {

  /** Micrometer name of {@code fedcredit_federation_bytes_sent_total}. */
  public static final String BYTES_SENT = "fedcredit.federation.bytes.sent";

  /** Micrometer name of {@code fedcredit_federation_bytes_received_total}. */
  public static final String BYTES_RECEIVED = "fedcredit.federation.bytes.received";

  /** Micrometer name of {@code fedcredit_paillier_operations_total}. */
  public static final String PAILLIER_OPERATIONS = "fedcredit.paillier.operations";

  /** Micrometer name of {@code fedcredit_step_duration_seconds} (the registry adds the unit). */
  public static final String STEP_DURATION = "fedcredit.step.duration";

  /** Micrometer name of the {@code fedcredit_jobs} gauge. */
  public static final String JOBS = "fedcredit.jobs";

  private static final String FEDERATION_BYTES_PREFIX = "fedcredit.federation.bytes.";

  private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

  private final String party;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final Map<String, Counter> sent = new ConcurrentHashMap<>();
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Map<String, Counter> paillier = new ConcurrentHashMap<>();
  private final Map<String, Timer> steps = new ConcurrentHashMap<>();
  private final MultiGauge jobs;
  private final TreeSet<String> jobStatesSeen = new TreeSet<>();
  private volatile Supplier<Map<String, Long>> jobCounts;

  /**
   * Creates the registry with the JVM binders registered and {@code party} as common label.
   *
   * @param party this node's party id (the subject of its certificate), e.g. {@code "bank"}
   */
  public NodeMetrics(String party) {
    this.party = requireLabel(party, "party");
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("party", party);
    // Code that registers the federation counters itself (GrpcFederation) may give them the base
    // unit "bytes", which the Prometheus naming convention would append once more
    // (fedcredit_federation_bytes_sent_bytes_total); the documented names have none.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(FEDERATION_BYTES_PREFIX) && id.getBaseUnit() != null
                    ? id.withBaseUnit(null)
                    : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.jobs =
        MultiGauge.builder(JOBS)
            .description("FedCredit jobs known to this node, per state")
            .register(registry);
  }

  /** This node's party id, the value of the common {@code party} label. */
  public String party() {
    return party;
  }

  /** The underlying registry, for code that registers its own meters or binders. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts {@code n} payload bytes sent to {@code peer} ({@code n = 0} creates the series). */
  public void bytesSent(String peer, long n) {
    counter(sent, BYTES_SENT, "peer", peer, "Federation payload bytes sent, per peer")
        .increment(requireCount(n, "bytes sent"));
  }

  /** Counts {@code n} payload bytes received from {@code peer}. */
  public void bytesReceived(String peer, long n) {
    counter(received, BYTES_RECEIVED, "peer", peer, "Federation payload bytes received, per peer")
        .increment(requireCount(n, "bytes received"));
  }

  /** Counts {@code n} Paillier operations of kind {@code op} (e.g. {@code "encrypt"}). */
  public void paillierOps(String op, long n) {
    counter(paillier, PAILLIER_OPERATIONS, "op", op, "Paillier operations performed, per kind")
        .increment(requireCount(n, "Paillier operations"));
  }

  /**
   * Publishes this process's Paillier engine totals ({@link
   * org.fedcredit.secagg.paillier.EngineTimings#total}) as {@code
   * fedcredit_paillier_operations_total{op}} with {@code op} = keygen, encrypt, rerandomize,
   * multiply_matrix (terms), decrypt, wire, histogram (rows × features), pack (sums). Use this or
   * {@link #paillierOps}, not both.
   */
  public NodeMetrics trackPaillierEngine() {
    for (org.fedcredit.secagg.paillier.EngineTimings.Op op :
        org.fedcredit.secagg.paillier.EngineTimings.Op.values()) {
      io.micrometer.core.instrument.FunctionCounter.builder(
              PAILLIER_OPERATIONS, op, org.fedcredit.secagg.paillier.EngineTimings::total)
          .description("Paillier operations performed, per kind")
          .tag("op", op.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry());
    }
    return this;
  }

  /** Records the wall time of one run of job step {@code step} (e.g. {@code "psi"}). */
  public void recordStep(String step, Duration duration) {
    Objects.requireNonNull(duration, "step duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "step duration must not be negative, got " + duration + " for step '" + step + "'");
    }
    steps
        .computeIfAbsent(
            requireLabel(step, "job_step"),
            s ->
                Timer.builder(STEP_DURATION)
                    .description("Wall time of one job step")
                    .tag("job_step", s)
                    .register(registry))
        .record(duration);
  }

  /**
   * Feeds {@code fedcredit_jobs{state}} from {@code counts}, which is called once per {@link
   * #scrape()} and returns the number of jobs per state (e.g. {@code {"RUNNING": 2, "DONE": 7}}). A
   * state reported once stays exported (as 0 when absent later), so a series does not vanish when
   * its count drops to zero. If {@code counts} throws, the previous values are kept and a warning
   * is logged. Replaces any earlier supplier.
   */
  public void jobsByState(Supplier<Map<String, Long>> counts) {
    this.jobCounts = Objects.requireNonNull(counts, "job counts supplier");
  }

  /**
   * Refreshes {@code fedcredit_jobs} and returns every series in the Prometheus text exposition
   * format 0.0.4 (content type {@link MetricsHttpServer#PROMETHEUS_TEXT_CONTENT_TYPE}).
   */
  public String scrape() {
    refreshJobs();
    return registry.scrape(MetricsHttpServer.PROMETHEUS_TEXT_CONTENT_TYPE);
  }

  /** Unbinds the GC listener and closes the registry. */
  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }

  private synchronized void refreshJobs() {
    Supplier<Map<String, Long>> supplier = jobCounts;
    if (supplier == null) {
      return;
    }
    Map<String, Long> counts;
    try {
      counts = Objects.requireNonNull(supplier.get(), "job counts supplier returned null");
    } catch (RuntimeException e) {
      LOG.warn("fedcredit_jobs not refreshed, keeping the previous values: {}", e.toString());
      return;
    }
    Map<String, Long> valid = new HashMap<>();
    counts.forEach(
        (state, count) -> {
          if (state == null || state.isBlank() || count == null || count < 0) {
            LOG.warn("fedcredit_jobs: ignoring state '{}' with count {}", state, count);
          } else {
            valid.put(state, count);
          }
        });
    jobStatesSeen.addAll(valid.keySet());
    List<MultiGauge.Row<?>> rows = new ArrayList<>(jobStatesSeen.size());
    for (String state : jobStatesSeen) {
      rows.add(MultiGauge.Row.of(Tags.of("state", state), valid.getOrDefault(state, 0L)));
    }
    jobs.register(rows, true);
  }

  private Counter counter(
      Map<String, Counter> cache, String name, String label, String value, String description) {
    return cache.computeIfAbsent(
        requireLabel(value, label),
        v -> Counter.builder(name).description(description).tag(label, v).register(registry));
  }

  private static long requireCount(long n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + n);
    }
    return n;
  }

  private static String requireLabel(String value, String label) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("label '" + label + "' needs a non-blank value");
    }
    return value;
  }
}
