package org.fedcredit.transport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final NodeMetrics metrics = new NodeMetrics("tax-bureau");
  private final MetricsHttpServer server = MetricsHttpServer.start(metrics, 0);

  @AfterEach
  void close() {
    server.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(server.baseUri().resolve(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsServesCountersInPrometheusTextFormat() throws Exception {
    metrics.bytesSent("bank", 4096);
    metrics.bytesReceived("coordinator", 512);
    metrics.paillierOps("encrypt", 3);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    String body = response.body();
    assertThat(
            PrometheusText.value(
                body,
                "fedcredit_federation_bytes_sent_total",
                Map.of("peer", "bank", "party", "tax-bureau")))
        .contains(4096.0);
    assertThat(
            PrometheusText.value(
                body, "fedcredit_federation_bytes_received_total", Map.of("peer", "coordinator")))
        .contains(512.0);
    assertThat(
            PrometheusText.value(
                body, "fedcredit_paillier_operations_total", Map.of("op", "encrypt")))
        .contains(3.0);
    assertThat(body).contains("jvm_memory_used_bytes{");

    metrics.bytesSent("bank", 4);
    assertThat(
            PrometheusText.value(
                get("/metrics").body(),
                "fedcredit_federation_bytes_sent_total",
                Map.of("peer", "bank")))
        .contains(4100.0);
  }

  @Test
  void healthIsUpWithoutChecks() throws Exception {
    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo("{\"status\":\"UP\",\"party\":\"tax-bureau\",\"checks\":{}}");
  }

  @Test
  void healthTurns503AndDownWhenOneCheckFails() throws Exception {
    AtomicBoolean storeUp = new AtomicBoolean(true);
    server
        .healthCheck(
            "store",
            () ->
                storeUp.get()
                    ? HealthCheck.Result.up("h2 answered")
                    : HealthCheck.Result.down("connection refused: 127.0.0.1:5432"))
        .healthCheck("coordinator-link", HealthCheck.Result::up);

    HttpResponse<String> up = get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body())
        .isEqualTo(
            "{\"status\":\"UP\",\"party\":\"tax-bureau\",\"checks\":{"
                + "\"coordinator-link\":{\"status\":\"UP\",\"detail\":\"\"},"
                + "\"store\":{\"status\":\"UP\",\"detail\":\"h2 answered\"}}}");

    storeUp.set(false);

    HttpResponse<String> down = get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"party\":\"tax-bureau\",\"checks\":{"
                + "\"coordinator-link\":{\"status\":\"UP\",\"detail\":\"\"},"
                + "\"store\":{\"status\":\"DOWN\",\"detail\":\"connection refused: 127.0.0.1:5432\"}}}");

    storeUp.set(true);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aThrowingCheckIsReportedDownWithItsReasonEscapedInJson() throws Exception {
    server.healthCheck(
        "store",
        () -> {
          throw new IllegalStateException("table \"jobs\" missing\nrun migrations");
        });

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body())
        .contains("\"status\":\"DOWN\"")
        .contains(
            "\"detail\":\"check 'store' threw IllegalStateException: table \\\"jobs\\\" missing\\nrun"
                + " migrations\"");
  }

  @Test
  void otherPathsAre404AndOtherMethods405() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    assertThat(get("/health/extra").statusCode()).isEqualTo(404);

    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(server.baseUri().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void headAnswersTheStatusWithoutABody() throws Exception {
    server.healthCheck("store", () -> HealthCheck.Result.down("disk full"));

    HttpResponse<String> head =
        send(
            HttpRequest.newBuilder(server.baseUri().resolve("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.statusCode()).isEqualTo(503);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void bindsLoopbackByDefaultOnAnEphemeralPort() {
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isPositive();
    assertThat(server.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
  }

  @Test
  void aPortInUseGivesOneLineNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> MetricsHttpServer.start(metrics, "127.0.0.1", port))
          .isInstanceOf(MetricsEndpointException.class)
          .hasMessage(
              "cannot start the metrics/health endpoint on 127.0.0.1:"
                  + port
                  + ": port "
                  + port
                  + " is already in use; stop the other process or choose another metrics port"
                  + " (0 = ephemeral)");
    }
  }

  @Test
  void aHostThatIsNotLocalIsNamedInTheError() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    assertThatThrownBy(() -> MetricsHttpServer.start(metrics, "192.0.2.1", 0))
        .isInstanceOf(MetricsEndpointException.class)
        .hasMessageStartingWith(
            "cannot start the metrics/health endpoint on 192.0.2.1:0: '192.0.2.1' is not an address"
                + " of this machine");
  }

  @Test
  void rejectsAnOutOfRangePortAndADuplicateCheckName() {
    assertThatThrownBy(() -> MetricsHttpServer.start(metrics, 70000))
        .isInstanceOf(MetricsEndpointException.class)
        .hasMessage("metrics port must be between 0 and 65535 (0 = ephemeral), got 70000");

    server.healthCheck("store", HealthCheck.Result::up);
    assertThatThrownBy(() -> server.healthCheck("store", HealthCheck.Result::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a health check named 'store' is already registered");
  }

  @Test
  void aDownResultMustSayWhy() {
    assertThatThrownBy(() -> HealthCheck.Result.down(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a DOWN health check result must say why (detail)");
  }

  @Test
  void closeStopsServing() throws Exception {
    URI health = server.baseUri().resolve("/health");
    assertThat(get("/health").statusCode()).isEqualTo(200);

    server.close();

    assertThatThrownBy(() -> send(HttpRequest.newBuilder(health).GET()))
        .isInstanceOf(ConnectException.class);
  }
}
