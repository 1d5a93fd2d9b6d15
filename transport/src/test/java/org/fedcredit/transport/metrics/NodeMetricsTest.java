package org.fedcredit.transport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

  private final NodeMetrics metrics = new NodeMetrics("bank");

  @AfterEach
  void close() {
    metrics.close();
  }

  private double value(String name, Map<String, String> labels) {
    String text = metrics.scrape();
    return PrometheusText.value(text, name, labels)
        .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in:\n" + text));
  }

  @Test
  void federationByteCountersAddUpPerPeerUnderTheDocumentedNames() {
    metrics.bytesSent("tax-bureau", 1_000);
    metrics.bytesSent("tax-bureau", 234);
    metrics.bytesSent("utility", 7);
    metrics.bytesReceived("tax-bureau", 50);

    assertThat(
            value(
                "fedcredit_federation_bytes_sent_total",
                Map.of("peer", "tax-bureau", "party", "bank")))
        .isEqualTo(1234.0);
    assertThat(value("fedcredit_federation_bytes_sent_total", Map.of("peer", "utility")))
        .isEqualTo(7.0);
    assertThat(value("fedcredit_federation_bytes_received_total", Map.of("peer", "tax-bureau")))
        .isEqualTo(50.0);
    assertThat(metrics.scrape())
        .contains("# TYPE fedcredit_federation_bytes_sent_total counter")
        .doesNotContain(
            "fedcredit_federation_bytes_received_total{party=\"bank\",peer=\"utility\"}");
  }

  @Test
  void federationCountersRegisteredElsewhereWithAByteUnitKeepTheDocumentedName() {
    // As GrpcFederation registers them, on registry().
    Counter.builder(NodeMetrics.BYTES_SENT)
        .baseUnit("bytes")
        .tag("peer", "utility")
        .register(metrics.registry())
        .increment(99);
    metrics.bytesSent("utility", 1);

    String text = metrics.scrape();
    assertThat(
            PrometheusText.value(
                text, "fedcredit_federation_bytes_sent_total", Map.of("peer", "utility")))
        .contains(100.0);
    assertThat(text).doesNotContain("fedcredit_federation_bytes_sent_bytes_total");
  }

  @Test
  void paillierOperationsAreCountedPerKind() {
    metrics.paillierOps("encrypt", 4096);
    metrics.paillierOps("decrypt", 16);
    metrics.paillierOps("encrypt", 4);

    assertThat(value("fedcredit_paillier_operations_total", Map.of("op", "encrypt")))
        .isEqualTo(4100.0);
    assertThat(value("fedcredit_paillier_operations_total", Map.of("op", "decrypt")))
        .isEqualTo(16.0);
  }

  @Test
  void stepDurationsAreATimerInSecondsPerStep() {
    metrics.recordStep("psi", Duration.ofMillis(1500));
    metrics.recordStep("psi", Duration.ofMillis(500));
    metrics.recordStep("train", Duration.ofSeconds(42));

    assertThat(value("fedcredit_step_duration_seconds_count", Map.of("job_step", "psi")))
        .isEqualTo(2.0);
    assertThat(value("fedcredit_step_duration_seconds_sum", Map.of("job_step", "psi")))
        .isEqualTo(2.0);
    assertThat(value("fedcredit_step_duration_seconds_max", Map.of("job_step", "train")))
        .isEqualTo(42.0);
  }

  @Test
  void jobGaugeFollowsTheSupplierAndKeepsStatesThatDropToZero() {
    Map<String, Long> counts = new HashMap<>(Map.of("RUNNING", 2L, "SUCCEEDED", 5L));
    metrics.jobsByState(() -> Map.copyOf(counts));

    assertThat(value("fedcredit_jobs", Map.of("state", "RUNNING"))).isEqualTo(2.0);
    assertThat(value("fedcredit_jobs", Map.of("state", "SUCCEEDED"))).isEqualTo(5.0);

    counts.remove("RUNNING");
    counts.put("SUCCEEDED", 7L);
    counts.put("FAILED", 1L);

    assertThat(value("fedcredit_jobs", Map.of("state", "RUNNING"))).isEqualTo(0.0);
    assertThat(value("fedcredit_jobs", Map.of("state", "SUCCEEDED"))).isEqualTo(7.0);
    assertThat(value("fedcredit_jobs", Map.of("state", "FAILED"))).isEqualTo(1.0);
  }

  @Test
  void aFailingJobSupplierKeepsThePreviousValuesAndTheScrapeSucceeds() {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    metrics.jobsByState(
        () -> {
          if (failure.get() != null) {
            throw failure.get();
          }
          return Map.of("RUNNING", 3L);
        });
    assertThat(value("fedcredit_jobs", Map.of("state", "RUNNING"))).isEqualTo(3.0);

    failure.set(new IllegalStateException("store unreachable"));

    assertThat(value("fedcredit_jobs", Map.of("state", "RUNNING"))).isEqualTo(3.0);
  }

  @Test
  void invalidJobStatesAndCountsAreSkipped() {
    Map<String, Long> counts = new HashMap<>();
    counts.put("RUNNING", 1L);
    counts.put(" ", 4L);
    counts.put("FAILED", -1L);
    metrics.jobsByState(() -> counts);

    String text = metrics.scrape();
    assertThat(PrometheusText.value(text, "fedcredit_jobs", Map.of("state", "RUNNING")))
        .contains(1.0);
    assertThat(PrometheusText.value(text, "fedcredit_jobs", Map.of("state", "FAILED"))).isEmpty();
    assertThat(PrometheusText.value(text, "fedcredit_jobs", Map.of("state", " "))).isEmpty();
  }

  @Test
  void jvmMemoryThreadAndGcMetricsAreRegistered() {
    String text = metrics.scrape();

    assertThat(PrometheusText.value(text, "jvm_threads_live_threads", Map.of()))
        .get()
        .satisfies(v -> assertThat(v).isGreaterThan(0));
    assertThat(text)
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("process_uptime_seconds")
        .contains("jvm_classes_loaded_classes");
  }

  @Test
  void everySeriesCarriesThePartyLabel() {
    metrics.bytesSent("utility", 1);

    assertThat(
            value(
                "fedcredit_federation_bytes_sent_total",
                Map.of("party", "bank", "peer", "utility")))
        .isEqualTo(1.0);
    assertThat(
            PrometheusText.value(
                metrics.scrape(),
                "fedcredit_federation_bytes_sent_total",
                Map.of("party", "tax-bureau")))
        .isEmpty();
  }

  @Test
  void rejectsNegativeCountsAndBlankLabels() {
    assertThatThrownBy(() -> metrics.bytesSent("utility", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes sent must not be negative, got -1");
    assertThatThrownBy(() -> metrics.bytesReceived(" ", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label 'peer' needs a non-blank value");
    assertThatThrownBy(() -> metrics.recordStep("psi", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step 'psi'");
    assertThatThrownBy(() -> new NodeMetrics(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label 'party' needs a non-blank value");
  }
}
