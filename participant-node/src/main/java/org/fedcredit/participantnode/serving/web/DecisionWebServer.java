package org.fedcredit.participantnode.serving.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.Decision.Outcome;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.participantnode.serving.store.DecisionStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank node's web front for decisions, on the JDK's built-in {@link HttpServer} (no framework),
 * backed by a {@link DecisionStore}:
 *
 * <ul>
 *   <li>{@code GET /decisions/{token}}: the borrower page (HTML, English or Chinese: {@code
 *       ?lang=en} or {@code ?lang=zh}, else the {@code Accept-Language} header, else English). An
 *       unknown or malformed token gives a 404 page. No authentication: the unguessable token is
 *       the access control, so the page is {@code Cache-Control: no-store} and {@code
 *       Referrer-Policy: no-referrer}.
 *   <li>{@code GET /officer/decisions[?outcome=approved|refused|cannot_decide][&limit=1..500]}: the
 *       credit officer's table of recent decisions (default {@value #DEFAULT_OFFICER_LIMIT}),
 *       newest first. Needs the officer token given to the constructor: {@code Authorization:
 *       Bearer <token>}, or HTTP Basic with any user name and the token as password (so a browser
 *       can sign in); otherwise 401.
 *   <li>{@code GET /health}: {@code {"status":"UP"}} (200) when the store answers, {@code
 *       {"status":"DOWN"}} (503) when it does not.
 *   <li>any route added with {@link #route} before {@link #start()}, e.g. the decision API.
 * </ul>
 *
 * <p>Pages are complete documents with one inline style sheet, no scripts and no external
 * resources; every response carries a Content-Security-Policy that allows nothing else. Every text
 * is HTML-escaped. Failures never show a stack trace: a store that fails gives a 503 page, anything
 * else a 500 page, and the details go to the log. Only GET and HEAD are served on these routes (405
 * otherwise).
 *
 * <p>Binds {@value #DEFAULT_HOST} unless told otherwise. Requests run on the given executor (the
 * caller keeps ownership of it), or on {@value #OWN_THREADS} daemon threads of the server's own.
 */
public final class DecisionWebServer implements AutoCloseable {

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // the body then waits for the client's delayed ACK (~40 ms per request on Linux loopback).
    // The property is read once, when the first JDK HTTP server of the process is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The host bound by {@link #loopback(int)}. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Rows of the officer view when {@code ?limit=} is absent. */
  public static final int DEFAULT_OFFICER_LIMIT = 50;

  /** Largest {@code ?limit=} of the officer view. */
  public static final int MAX_OFFICER_LIMIT = 500;

  /** Shortest officer token accepted: a short shared secret could be guessed. */
  public static final int MIN_OFFICER_TOKEN_LENGTH = 16;

  /** Threads of the server's own executor, when none is given. */
  public static final int OWN_THREADS = 4;

  static final String BORROWER_PREFIX = "/decisions/";

  /** {@code /decisions/{token}/model-proof}: the proof of the decision's model release. */
  public static final String MODEL_PROOF_SUFFIX = "/model-proof";

  private volatile org.fedcredit.participantnode.serving.audit.ModelProofs modelProofs;
  static final String OFFICER_PATH = "/officer/decisions";
  static final String HEALTH_PATH = "/health";
  static final String HTML = "text/html; charset=utf-8";
  static final String REALM = "FedCredit credit officer";

  private static final Logger LOG = LoggerFactory.getLogger(DecisionWebServer.class);
  private static final AtomicInteger SERVER_IDS = new AtomicInteger();
  private static final Set<String> RESERVED =
      Set.of("/", BORROWER_PREFIX, OFFICER_PATH, HEALTH_PATH);

  private final DecisionStore store;
  private final byte[] officerTokenHash;
  private final HttpServer server;
  private final ExecutorService ownExecutor;
  private final ZoneId zone;
  private final Object lifecycle = new Object();
  private final Set<String> routes = new HashSet<>();
  private boolean started;
  private boolean closed;

  /**
   * Binds {@code address}; serves nothing until {@link #start()}.
   *
   * @param store where the decisions are read
   * @param officerToken the secret of the officer view, at least {@value #MIN_OFFICER_TOKEN_LENGTH}
   *     characters
   * @param address where to listen; port 0 picks a free one (see {@link #port()})
   * @param executor runs the requests; not shut down by {@link #close()}
   * @param zone the time zone decision times are shown in (e.g. Asia/Shanghai)
   * @throws DecisionWebServerException if the address cannot be bound
   * @throws IllegalArgumentException if the officer token is too short
   */
  public DecisionWebServer(
      DecisionStore store,
      String officerToken,
      InetSocketAddress address,
      Executor executor,
      ZoneId zone) {
    this(store, officerToken, address, Objects.requireNonNull(executor, "executor"), zone, null);
  }

  /**
   * Binds {@code address} with the server's own {@value #OWN_THREADS} threads, showing times in
   * UTC.
   */
  public DecisionWebServer(DecisionStore store, String officerToken, InetSocketAddress address) {
    this(store, officerToken, address, null, ZoneOffset.UTC, ownExecutor());
  }

  private DecisionWebServer(
      DecisionStore store,
      String officerToken,
      InetSocketAddress address,
      Executor executor,
      ZoneId zone,
      ExecutorService ownExecutor) {
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(officerToken, "officerToken");
    Objects.requireNonNull(address, "address");
    this.zone = Objects.requireNonNull(zone, "zone");
    if (officerToken.strip().length() < MIN_OFFICER_TOKEN_LENGTH) {
      shutdown(ownExecutor);
      throw new IllegalArgumentException(
          "the credit officer token has "
              + officerToken.strip().length()
              + " characters; use at least "
              + MIN_OFFICER_TOKEN_LENGTH
              + " random ones (e.g. DecisionTokens.newToken())");
    }
    this.officerTokenHash = sha256(officerToken);
    this.ownExecutor = ownExecutor;
    try {
      this.server = HttpServer.create(address, 0);
    } catch (IOException e) {
      shutdown(ownExecutor);
      String why =
          e instanceof BindException
                  && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")
              ? "the port is already in use; stop the other process or choose another port"
              : e.getMessage() + "; bind an address of this machine";
      throw new DecisionWebServerException(
          "cannot start the decision web server on " + address + ": " + why, e);
    }
    server.setExecutor(ownExecutor != null ? ownExecutor : executor);
    server.createContext("/", guarded(this::notFound));
    server.createContext(BORROWER_PREFIX, guarded(this::borrower));
    server.createContext(OFFICER_PATH, guarded(this::officer));
    server.createContext(HEALTH_PATH, guarded(this::health));
  }

  /** A server on {@value #DEFAULT_HOST}:{@code port} with its own threads, times in UTC. */
  public static DecisionWebServer loopback(DecisionStore store, String officerToken, int port) {
    return new DecisionWebServer(store, officerToken, new InetSocketAddress(DEFAULT_HOST, port));
  }

  /**
   * Serves {@code handler} on {@code path} and everything below it (the JDK server matches by
   * prefix), e.g. {@code route("/v1/decisions", decisionApi)}. The handler answers the exchange
   * itself; if it throws before answering, the server answers 500 and logs the error.
   *
   * @throws IllegalStateException after {@link #start()}
   * @throws IllegalArgumentException if the path is taken (by a built-in page or an earlier route)
   *     or does not start with {@code /}
   */
  public DecisionWebServer route(String path, HttpHandler handler) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(
            "route " + path + " must be added before the decision web server starts");
      }
      if (!path.startsWith("/") || RESERVED.contains(path)) {
        throw new IllegalArgumentException(
            "cannot route "
                + path
                + ": give a path starting with / other than the built-in "
                + RESERVED.stream().sorted().toList());
      }
      if (!routes.add(path)) {
        throw new IllegalArgumentException("cannot route " + path + ": it is already routed");
      }
      server.createContext(path, guarded(handler));
    }
    return this;
  }

  /** Starts serving. */
  public DecisionWebServer start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the decision web server is closed");
      }
      if (started) {
        throw new IllegalStateException("the decision web server is already started");
      }
      started = true;
      server.start();
    }
    LOG.info("decision pages on {}decisions/<token>, officer view on {}", baseUri(), baseUri());
    return this;
  }

  /** The bound port (the actual one when bound to port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/}. */
  public URI baseUri() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The borrower page's address of the decision with {@code token}. */
  public URI pageOf(String token) {
    return baseUri().resolve("decisions/" + token);
  }

  /** Stops at once; the store is not closed (its owner closes it). */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    server.stop(0);
    shutdown(ownExecutor);
  }

  // ------------------------------------------------------------------------------ the routes

  private void borrower(HttpExchange ex) throws IOException {
    if (!readOnly(ex)) {
      return;
    }
    Request req = Request.of(ex);
    Function<Language, String> langHref = l -> "?lang=" + l.tag();
    String token = ex.getRequestURI().getRawPath().substring(BORROWER_PREFIX.length());
    boolean proof = token.endsWith(MODEL_PROOF_SUFFIX);
    if (proof) {
      token = token.substring(0, token.length() - MODEL_PROOF_SUFFIX.length());
    }
    Optional<Decision> decision =
        DecisionTokens.isWellFormed(token) ? store.find(token) : Optional.empty();
    if (decision.isEmpty()) {
      page(
          ex,
          404,
          req.lang,
          ErrorPage.render(
              Text.NOT_FOUND_TITLE, Html.t(Text.NOT_FOUND, req.lang), req.lang, langHref));
      return;
    }
    if (proof) {
      modelProof(ex, decision.get());
      return;
    }
    page(ex, 200, req.lang, BorrowerPage.render(decision.get(), req.lang, zone, langHref));
  }

  /** Where {@code /decisions/{token}/model-proof} gets its proofs (the node's coordinator). */
  public DecisionWebServer modelProofs(
      org.fedcredit.participantnode.serving.audit.ModelProofs proofs) {
    this.modelProofs = proofs;
    return this;
  }

  private void modelProof(HttpExchange ex, Decision d) throws IOException {
    org.fedcredit.participantnode.serving.audit.ModelProofs proofs = modelProofs;
    if (proofs == null) {
      respond(
          ex,
          404,
          "application/json",
          error("this node is not connected to a coordinator; there is no audit log to prove in"),
          Optional.empty());
      return;
    }
    try {
      respond(ex, 200, "application/json", proofs.proof(d.model()), Optional.empty());
    } catch (org.fedcredit.participantnode.serving.audit.ModelProofs.Unavailable e) {
      respond(
          ex, e.unknown() ? 404 : 503, "application/json", error(e.getMessage()), Optional.empty());
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper ERROR_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static String error(String message) {
    try {
      return ERROR_JSON.writeValueAsString(java.util.Map.of("error", message));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void officer(HttpExchange ex) throws IOException {
    if (!readOnly(ex)) {
      return;
    }
    Request req = Request.of(ex);
    if (!ex.getRequestURI().getPath().equals(OFFICER_PATH)) {
      notFound(ex);
      return;
    }
    if (!authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders()
          .add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
      ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
      page(
          ex,
          401,
          req.lang,
          ErrorPage.render(
              Text.UNAUTHORIZED_TITLE,
              Html.t(Text.UNAUTHORIZED, req.lang),
              req.lang,
              l -> "?lang=" + l.tag()));
      return;
    }
    Optional<Outcome> outcome;
    int limit;
    try {
      outcome = req.param("outcome").map(DecisionWebServer::outcome);
      limit = req.param("limit").map(DecisionWebServer::limit).orElse(DEFAULT_OFFICER_LIMIT);
    } catch (IllegalArgumentException e) {
      page(
          ex,
          400,
          req.lang,
          ErrorPage.plain(
              Text.BAD_REQUEST_TITLE, e.getMessage(), req.lang, l -> "?lang=" + l.tag()));
      return;
    }
    List<Decision> decisions = store.recent(limit, outcome);
    Language lang = req.lang;
    Function<Optional<Outcome>, String> filterHref = o -> officerQuery(o, limit, lang);
    Function<Language, String> langHref = l -> officerQuery(outcome, limit, l);
    page(
        ex,
        200,
        lang,
        OfficerPage.render(decisions, outcome, limit, lang, zone, filterHref, langHref));
  }

  private void health(HttpExchange ex) throws IOException {
    if (!readOnly(ex)) {
      return;
    }
    if (!ex.getRequestURI().getPath().equals(HEALTH_PATH)) {
      notFound(ex);
      return;
    }
    boolean up;
    try {
      store.recent(1, Optional.empty());
      up = true;
    } catch (RuntimeException e) {
      LOG.warn("health: the decision store does not answer: {}", e.getMessage());
      up = false;
    }
    respond(
        ex,
        up ? 200 : 503,
        "application/json",
        up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"detail\":\"decision store\"}",
        Optional.empty());
  }

  private void notFound(HttpExchange ex) throws IOException {
    if (!readOnly(ex)) {
      return;
    }
    Request req = Request.of(ex);
    page(
        ex,
        404,
        req.lang,
        ErrorPage.render(
            Text.NOT_FOUND_TITLE,
            Html.t(Text.NOT_FOUND, req.lang),
            req.lang,
            l -> "?lang=" + l.tag()));
  }

  // ------------------------------------------------------------------------------- internals

  /** The request's language and query parameters. */
  private record Request(Language lang, Map<String, String> params) {
    static Request of(HttpExchange ex) {
      Map<String, String> params = query(ex.getRequestURI().getRawQuery());
      Language lang =
          Optional.ofNullable(params.get("lang"))
              .flatMap(Language::fromTag)
              .orElseGet(
                  () ->
                      Language.fromAcceptLanguage(
                          ex.getRequestHeaders().getFirst("Accept-Language")));
      return new Request(lang, params);
    }

    Optional<String> param(String name) {
      return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
    }
  }

  /**
   * The first value of each parameter; undecodable ones are dropped (the page then ignores them).
   */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        // A malformed %-escape: ignore this parameter rather than fail the page.
      }
    }
    return params;
  }

  static Outcome outcome(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Outcome o : Outcome.values()) {
      if (o.name().equals(v)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "outcome '" + value + "' is unknown; use approved, refused or cannot_decide");
  }

  static int limit(String value) {
    int limit;
    try {
      limit = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_OFFICER_LIMIT) {
      throw new IllegalArgumentException(
          "limit '" + value + "' is not a number from 1 to " + MAX_OFFICER_LIMIT);
    }
    return limit;
  }

  private static String officerQuery(Optional<Outcome> outcome, int limit, Language lang) {
    StringBuilder q = new StringBuilder("?");
    outcome.ifPresent(
        o -> q.append("outcome=").append(o.name().toLowerCase(Locale.ROOT)).append('&'));
    if (limit != DEFAULT_OFFICER_LIMIT) {
      q.append("limit=").append(limit).append('&');
    }
    return q.append("lang=")
        .append(URLEncoder.encode(lang.tag(), StandardCharsets.UTF_8))
        .toString();
  }

  /** Whether {@code header} carries the officer token (Bearer, or Basic with it as password). */
  boolean authorised(String header) {
    if (header == null) {
      return false;
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = h.substring(0, space).toLowerCase(Locale.ROOT);
    String credentials = h.substring(space + 1).strip();
    String secret;
    if (scheme.equals("bearer")) {
      secret = credentials;
    } else if (scheme.equals("basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return false;
      }
      secret = decoded.substring(colon + 1);
    } else {
      return false;
    }
    // Comparing digests takes the same time whatever the length or the first differing byte.
    return MessageDigest.isEqual(officerTokenHash, sha256(secret));
  }

  /** Answers 405 unless the method is GET or HEAD. */
  private static boolean readOnly(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    respond(
        ex,
        405,
        "text/plain; charset=utf-8",
        method + " is not allowed here; use GET\n",
        Optional.empty());
    return false;
  }

  private static void page(HttpExchange ex, int status, Language lang, String html)
      throws IOException {
    var headers = ex.getResponseHeaders();
    headers.set("Content-Security-Policy", Html.CONTENT_SECURITY_POLICY);
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Vary", "Accept-Language, Authorization");
    respond(ex, status, HTML, html, Optional.of(lang));
  }

  private static void respond(
      HttpExchange ex, int status, String contentType, String body, Optional<Language> lang)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = ex.getResponseHeaders();
    headers.set("Content-Type", contentType);
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    lang.ifPresent(l -> headers.set("Content-Language", l.htmlLang()));
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Runs {@code handler}; if it throws before answering, answers 503 (store down) or 500 with a
   * calm page and logs the cause. The exchange is always closed.
   */
  private static HttpHandler guarded(HttpHandler handler) {
    return ex -> {
      try {
        handler.handle(ex);
      } catch (RuntimeException | IOException e) {
        boolean storeDown = e instanceof DecisionStoreException;
        LOG.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
        if (ex.getResponseCode() == -1) {
          Language lang =
              Language.fromAcceptLanguage(ex.getRequestHeaders().getFirst("Accept-Language"));
          Text title = storeDown ? Text.UNAVAILABLE_TITLE : Text.ERROR_TITLE;
          Text message = storeDown ? Text.UNAVAILABLE : Text.ERROR;
          try {
            page(
                ex,
                storeDown ? 503 : 500,
                lang,
                ErrorPage.render(title, Html.t(message, lang), lang, l -> "?lang=" + l.tag()));
          } catch (IOException | RuntimeException ignored) {
            // The client is gone or the answer was half sent; the log has the cause.
          }
        }
      } finally {
        ex.close();
      }
    };
  }

  private static ExecutorService ownExecutor() {
    int id = SERVER_IDS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    return Executors.newFixedThreadPool(
        OWN_THREADS,
        r -> {
          Thread t =
              new Thread(r, "fedcredit-decision-web-" + id + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private static void shutdown(ExecutorService executor) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
