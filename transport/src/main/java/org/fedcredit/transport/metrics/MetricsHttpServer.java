package org.fedcredit.transport.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint of a node, on the JDK's built-in {@link HttpServer} (no web
 * framework):
 *
 * <ul>
 *   <li>{@code GET /metrics}: every series of the node's {@link NodeMetrics}, Prometheus text
 *       format 0.0.4 ({@value #PROMETHEUS_TEXT_CONTENT_TYPE}).
 *   <li>{@code GET /health}: {@code {"status":"UP","party":"bank","checks":{"store":{"status":"UP",
 *       "detail":""}}}} with 200 when every registered {@link HealthCheck} is up; the same document
 *       with {@code "DOWN"} and 503 as soon as one is down. With no check registered the node is UP
 *       (the process answers).
 *   <li>any other path: 404; any method other than GET or HEAD: 405.
 * </ul>
 *
 * <p>Binds to {@value #DEFAULT_HOST} unless a host is given: metrics reveal traffic volumes per
 * peer, so exposing them beyond the machine (e.g. {@code 0.0.0.0} in a container) is an explicit
 * choice. Requests are served by two daemon threads, so a slow health probe does not block a
 * scrape. {@link #close()} stops the server at once.
 */
public final class MetricsHttpServer implements AutoCloseable {

  /** The content type of the Prometheus text exposition format served on {@code /metrics}. */
  public static final String PROMETHEUS_TEXT_CONTENT_TYPE =
      "text/plain; version=0.0.4; charset=utf-8";

  /** The host bound when none is given: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);
  private static final AtomicInteger SERVER_IDS = new AtomicInteger();

  private final NodeMetrics metrics;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;
  private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();

  private MetricsHttpServer(
      NodeMetrics metrics, HttpServer server, ExecutorService executor, String host) {
    this.metrics = metrics;
    this.server = server;
    this.executor = executor;
    this.host = host;
  }

  /** Starts the endpoint on {@value #DEFAULT_HOST}:{@code port} ({@code 0}: an ephemeral port). */
  public static MetricsHttpServer start(NodeMetrics metrics, int port) {
    return start(metrics, DEFAULT_HOST, port);
  }

  /**
   * Starts the endpoint on {@code host:port}.
   *
   * @param host the local address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port 0–65535; {@code 0} picks a free ephemeral port (see {@link #port()})
   * @throws MetricsEndpointException if the port is in use, the host is not a local address or the
   *     port is out of range
   */
  public static MetricsHttpServer start(NodeMetrics metrics, String host, int port) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new MetricsEndpointException(
          "metrics port must be between 0 and 65535 (0 = ephemeral), got " + port);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new MetricsEndpointException(
          "cannot start the metrics/health endpoint: host '" + host + "' does not resolve");
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (BindException e) {
      String why =
          String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")
              ? "port "
                  + port
                  + " is already in use; stop the other process or choose another"
                  + " metrics port (0 = ephemeral)"
              : "'" + host + "' is not an address of this machine (" + e.getMessage() + ")";
      throw new MetricsEndpointException(
          "cannot start the metrics/health endpoint on " + host + ":" + port + ": " + why, e);
    } catch (IOException e) {
      throw new MetricsEndpointException(
          "cannot start the metrics/health endpoint on " + host + ":" + port + ": " + e, e);
    }
    int id = SERVER_IDS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t =
                  new Thread(r, "fedcredit-metrics-http-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    MetricsHttpServer endpoint = new MetricsHttpServer(metrics, server, executor, host);
    server.createContext("/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info(
        "metrics and health of party '{}' on http://{}:{}/metrics and /health",
        metrics.party(),
        host,
        endpoint.port());
    return endpoint;
  }

  /**
   * Registers a health check evaluated on every {@code GET /health}; e.g. {@code "store"} or {@code
   * "coordinator-link"}.
   *
   * @throws IllegalArgumentException if a check with this name is already registered
   */
  public MetricsHttpServer healthCheck(String name, Supplier<HealthCheck.Result> probe) {
    HealthCheck check = new HealthCheck(name, probe);
    if (checks.putIfAbsent(name, check) != null) {
      throw new IllegalArgumentException(
          "a health check named '" + name + "' is already registered");
    }
    return this;
  }

  /** The bound port (the actual one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The host this endpoint was asked to bind. */
  public String host() {
    return host;
  }

  /** {@code http://host:port/}, for clients and log lines. */
  public URI baseUri() {
    return URI.create("http://" + hostForUri() + ":" + port() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private String hostForUri() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      dispatch(exchange);
    } catch (RuntimeException e) {
      // Bodies are computed before any header is sent, so a 500 can still be answered.
      LOG.warn("metrics/health request {} failed", exchange.getRequestURI(), e);
      respond(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n", false);
    } finally {
      exchange.close();
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "text/plain; charset=utf-8", method + " not allowed\n", false);
      return;
    }
    switch (path) {
      case "/metrics" ->
          respond(exchange, 200, PROMETHEUS_TEXT_CONTENT_TYPE, metrics.scrape(), head);
      case "/health" -> {
        Map<String, HealthCheck.Result> results = new TreeMap<>();
        checks.forEach((name, check) -> results.put(name, check.run()));
        boolean up = results.values().stream().allMatch(HealthCheck.Result::healthy);
        respond(exchange, up ? 200 : 503, "application/json", healthJson(up, results), head);
      }
      default ->
          respond(
              exchange,
              404,
              "text/plain; charset=utf-8",
              "no such path: " + path + " (try /metrics or /health)\n",
              head);
    }
  }

  private String healthJson(boolean up, Map<String, HealthCheck.Result> results) {
    StringBuilder json = new StringBuilder(128);
    json.append("{\"status\":\"")
        .append(up ? "UP" : "DOWN")
        .append("\",\"party\":")
        .append(jsonString(metrics.party()))
        .append(",\"checks\":{");
    boolean first = true;
    for (Map.Entry<String, HealthCheck.Result> e : results.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      json.append(jsonString(e.getKey()))
          .append(":{\"status\":\"")
          .append(e.getValue().status())
          .append("\",\"detail\":")
          .append(jsonString(e.getValue().detail()))
          .append('}');
    }
    return json.append("}}").toString();
  }

  static String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void respond(
      HttpExchange exchange, int status, String contentType, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (head) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
