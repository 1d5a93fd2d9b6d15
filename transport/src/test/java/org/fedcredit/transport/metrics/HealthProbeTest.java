package org.fedcredit.transport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

  private final NodeMetrics metrics = new NodeMetrics("utility");
  private final MetricsHttpServer server = MetricsHttpServer.start(metrics, 0);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    server.close();
    metrics.close();
  }

  private int probe(String... args) {
    out.reset();
    err.reset();
    return HealthProbe.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exitsZeroWhileHealthyAndOneWhenACheckFails() {
    AtomicBoolean up = new AtomicBoolean(true);
    server.healthCheck(
        "store", () -> up.get() ? HealthCheck.Result.up() : HealthCheck.Result.down("disk full"));
    String url = server.baseUri().resolve("/health").toString();

    assertThat(probe(url)).isEqualTo(HealthProbe.HEALTHY);
    assertThat(out()).startsWith("UP: HTTP 200 from " + url).contains("\"status\":\"UP\"");

    up.set(false);

    assertThat(probe(url, "2")).isEqualTo(HealthProbe.UNHEALTHY);
    assertThat(out()).startsWith("DOWN: HTTP 503 from " + url).contains("disk full");
  }

  @Test
  void aWrongPathIsUnhealthy() {
    assertThat(probe(server.baseUri().resolve("/healthz").toString()))
        .isEqualTo(HealthProbe.UNHEALTHY);
    assertThat(out()).startsWith("DOWN: HTTP 404");
  }

  @Test
  void anUnreachableNodeIsUnhealthyAndSaysWhy() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/health";

    assertThat(probe(url, "1")).isEqualTo(HealthProbe.UNHEALTHY);
    assertThat(out()).startsWith("DOWN: cannot reach " + url + ": java.net.ConnectException");
  }

  @Test
  void badArgumentsAreAUsageError() {
    assertThat(probe()).isEqualTo(HealthProbe.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: HealthProbe");
    assertThat(probe("ftp://127.0.0.1/health")).isEqualTo(HealthProbe.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not an http:// URL with a host");
    assertThat(probe("http://127.0.0.1:1/health", "0")).isEqualTo(HealthProbe.USAGE);
    assertThat(probe("http://127.0.0.1:1/health", "soon")).isEqualTo(HealthProbe.USAGE);
  }
}
