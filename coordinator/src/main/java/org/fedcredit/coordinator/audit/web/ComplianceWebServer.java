package org.fedcredit.coordinator.audit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.audit.LogCheck;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compliance officer's read-only view of the coordinator's transparency log, on the JDK's
 * built-in {@link HttpServer}:
 *
 * <ul>
 *   <li>{@code GET /audit}: the log (size, root, latest checkpoint), its {@link LogCheck
 *       verification status}, and the jobs of the store with their number of audit entries;
 *   <li>{@code GET /audit/jobs/{id}}: the job's entries in log order, rendered by type, each with
 *       its index and a link to its inclusion proof; 404 for a job neither the store nor the log
 *       knows, 400 for a malformed id;
 *   <li>{@code GET /audit/entries/{index}/proof}: JSON, an {@link EntryProof} (checkable offline by
 *       {@code fedcredit audit proof --proof FILE --public-key FILE}); 404 beyond the log, 400 for
 *       an index that is not a number;
 *   <li>{@code GET /audit/export.json}: the whole log for {@code fedcredit audit verify}, with a
 *       checkpoint signed for it ({@link AuditLog#export()});
 *   <li>{@code GET /audit/log.pub}: the log's verifier key. Served for convenience only: an auditor
 *       must compare it with the key obtained out of band, since whoever runs this server could
 *       serve another.
 * </ul>
 *
 * <p><b>No login</b>: anyone who reaches the port reads the log (job names, parties, columns,
 * hashes; never data). It binds {@value #DEFAULT_HOST} unless configured otherwise; put it behind
 * an authenticating proxy before binding another address. Only GET and HEAD are served (405
 * otherwise). Pages have no scripts, one inline style sheet and a Content-Security-Policy that
 * allows nothing else; every text is HTML-escaped. Failures answer 500 without a stack trace.
 */
public final class ComplianceWebServer implements AutoCloseable {

  /** The default listen host: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";
  private static final Pattern JOB = Pattern.compile("/audit/jobs/([^/]*)");
  private static final Pattern PROOF = Pattern.compile("/audit/entries/([^/]*)/proof");
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Logger LOG = LoggerFactory.getLogger(ComplianceWebServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();

  private final AuditLog log;
  private final CoordinatorStore store;
  private final HttpServer server;
  private final ExecutorService executor;

  private ComplianceWebServer(AuditLog log, CoordinatorStore store, InetSocketAddress address) {
    this.log = Objects.requireNonNull(log, "log");
    this.store = Objects.requireNonNull(store, "store");
    try {
      this.server = HttpServer.create(address, 0);
    } catch (IOException e) {
      String why =
          e instanceof BindException
                  && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")
              ? "the port is already in use; choose another audit.web.port"
              : e.getMessage() + "; set audit.web.host to an address of this machine";
      throw new IllegalStateException(
          "cannot start the compliance page on " + address + ": " + why, e);
    }
    int id = IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t =
                  new Thread(r, "fedcredit-compliance-web-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts serving {@code log} and the jobs of {@code store} on {@code host:port} (0 = any). */
  public static ComplianceWebServer start(
      AuditLog log, CoordinatorStore store, String host, int port) {
    ComplianceWebServer s = new ComplianceWebServer(log, store, new InetSocketAddress(host, port));
    s.server.start();
    LOG.info("compliance page on {} (read-only, no login)", s.baseUri().resolve("/audit"));
    return s;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/}. */
  public URI baseUri() {
    String host = server.getAddress().getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------------------- routing

  private void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (RuntimeException | IOException e) {
        LOG.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
        if (ex.getResponseCode() == -1) {
          try {
            html(
                ex,
                500,
                CompliancePages.error(
                    "Something went wrong", "The audit log could not be read: " + e.getMessage()));
          } catch (IOException | RuntimeException ignored) {
            // the client is gone; the log has the cause
          }
        }
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      send(
          ex,
          405,
          "text/plain; charset=utf-8",
          method + " is not allowed: this page is read-only\n");
      return;
    }
    String path = ex.getRequestURI().getPath();
    if (path.equals("/audit") || path.equals("/audit/")) {
      logPage(ex);
      return;
    }
    if (path.equals("/audit/export.json")) {
      export(ex);
      return;
    }
    if (path.equals("/audit/log.pub")) {
      send(ex, 200, "text/plain; charset=utf-8", log.verifier().encode() + "\n");
      return;
    }
    Matcher m = JOB.matcher(path);
    if (m.matches()) {
      jobPage(ex, m.group(1));
      return;
    }
    m = PROOF.matcher(path);
    if (m.matches()) {
      proof(ex, m.group(1));
      return;
    }
    html(
        ex,
        404,
        CompliancePages.error(
            "Not found", "There is no page " + path + " here. The audit log is at /audit."));
  }

  private void logPage(HttpExchange ex) throws IOException {
    LogCheck check = LogCheck.of(log);
    SortedMap<String, Long> counts = log.entryCountsByJob();
    List<CompliancePages.JobRow> rows = new ArrayList<>();
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (JobRecord j : store.jobs()) {
      listed.add(j.jobId());
      rows.add(
          new CompliancePages.JobRow(
              j.jobId(), Optional.of(j), counts.getOrDefault(j.jobId(), 0L)));
    }
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      if (!listed.contains(c.getKey())) {
        rows.add(new CompliancePages.JobRow(c.getKey(), Optional.empty(), c.getValue()));
      }
    }
    html(ex, 200, CompliancePages.log(log.verifier().encode(), check, rows));
  }

  private void jobPage(HttpExchange ex, String id) throws IOException {
    if (!JOB_ID.matcher(id).matches()) {
      html(
          ex,
          400,
          CompliancePages.error(
              "Bad job id",
              "'"
                  + id
                  + "' is not a job id: ids are 1 to 64 letters, digits, '.', '_' or '-',"
                  + " starting with a letter or digit"));
      return;
    }
    Optional<JobRecord> job = store.job(id);
    List<AuditLog.Indexed> entries = log.entriesOfJob(id);
    if (job.isEmpty() && entries.isEmpty()) {
      html(
          ex,
          404,
          CompliancePages.error(
              "Job not found",
              "Neither the coordinator's job store nor the audit log knows a job " + id + "."));
      return;
    }
    html(ex, 200, CompliancePages.job(id, job, entries));
  }

  private void proof(HttpExchange ex, String raw) throws IOException {
    long index;
    if (!raw.matches("[0-9]{1,18}")) {
      json(ex, 400, error("'" + raw + "' is not an entry index; use a whole number from 0"));
      return;
    }
    index = Long.parseLong(raw);
    EntryProof p;
    try {
      p = EntryProof.of(log, index);
    } catch (IllegalArgumentException e) {
      json(ex, 404, error(e.getMessage()));
      return;
    }
    send(ex, 200, "application/json", p.toJson());
  }

  private void export(HttpExchange ex) throws IOException {
    Path tmp = Files.createTempFile("fedcredit-audit-export", ".json");
    try {
      log.export().write(tmp);
      ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"export.json\"");
      headers(ex, "application/json");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, Files.size(tmp));
      try (OutputStream out = ex.getResponseBody()) {
        Files.copy(tmp, out);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ------------------------------------------------------------------------------ responses

  private static String error(String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", message);
    return o.toString() + "\n";
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "application/json", body);
  }

  private static void html(HttpExchange ex, int status, String page) throws IOException {
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.getResponseHeaders().set("X-Frame-Options", "DENY");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    send(ex, status, "text/html; charset=utf-8", page);
  }

  private static void headers(HttpExchange ex, String contentType) {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
  }

  private static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers(ex, contentType);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
