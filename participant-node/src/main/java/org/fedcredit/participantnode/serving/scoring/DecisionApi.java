package org.fedcredit.participantnode.serving.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.protocols.serving.v1.DecisionsGrpc;
import org.fedcredit.protocols.serving.v1.ScoreRequest;
import org.fedcredit.protocols.serving.v1.ScoreResponse;

/**
 * The decision API of the bank's node: {@code POST /v1/decisions} (JSON) and the gRPC {@code
 * Decisions.Score}, both over {@link DecisionEngine}.
 *
 * <pre>{@code
 * POST /v1/decisions
 * {"enterprise_id": "E000123", "fields": {"loan_amount": 300000, "credit_utilization": 0.8},
 *  "counterfactuals": true}
 * → 201 {"token": ..., "outcome": "REFUSED", ..., "page": "/decisions/<token>"}
 * }</pre>
 *
 * A malformed request gets 400 with {@code {"error": "..."}} naming the field; a wrong method 405;
 * a body over 64 KiB 413. "Cannot decide" is a decision (201), not an error.
 */
public final class DecisionApi implements HttpHandler {

  /** The path of the HTTP API. */
  public static final String PATH = "/v1/decisions";

  private static final int MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DecisionEngine engine;

  public DecisionApi(DecisionEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(PATH)) {
        send(ex, 404, error("no such resource: " + ex.getRequestURI().getPath()));
        return;
      }
      if (!ex.getRequestMethod().equals("POST")) {
        ex.getResponseHeaders().add("Allow", "POST");
        send(ex, 405, error("use POST " + PATH + " with a JSON application"));
        return;
      }
      long declared = declaredLength(ex);
      if (declared > MAX_BODY) {
        send(ex, 413, error("the application is larger than 64 KiB"));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        // With a Content-Length, one array of that size; without (chunked), read up to the limit.
        body = in.readNBytes(declared >= 0 ? (int) declared : MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        send(ex, 413, error("the application is larger than 64 KiB"));
        return;
      }
      Request r;
      try {
        r = parse(body);
      } catch (IllegalArgumentException e) {
        send(ex, 400, error(e.getMessage()));
        return;
      }
      DecisionEngine.Issued issued;
      try {
        issued = engine.decideAndWrite(r.enterpriseId(), r.fields(), r.counterfactuals());
      } catch (DecisionEngine.ApplicationException e) {
        send(ex, 400, error(e.getMessage()));
        return;
      }
      Decision d = issued.decision();
      // The decision as issued, plus where the borrower reads it (the token is URL-safe base64,
      // so it needs no JSON escaping).
      String page = "/decisions/" + d.token();
      byte[] json = issued.stored().utf8();
      byte[] link = utf8(",\"page\":\"" + page + "\"}");
      ex.getResponseHeaders().add("Location", page);
      // The stored JSON without its closing brace, then the link (no copy of the decision).
      send(ex, 201, json, json.length - 1, link);
    }
  }

  /** A parsed application. */
  record Request(String enterpriseId, Map<String, Double> fields, boolean counterfactuals) {}

  static Request parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the body is not valid JSON ("
              + e.getOriginalMessage()
              + "); send {\"enterprise_id\": \"...\", \"fields\": {\"column\": number}}");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "the body must be a JSON object {\"enterprise_id\": \"...\", \"fields\": {...}}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("enterprise_id") && !k.equals("fields") && !k.equals("counterfactuals")) {
        throw new IllegalArgumentException(
            "unknown key '" + k + "'; allowed: enterprise_id, fields, counterfactuals");
      }
    }
    JsonNode id = root.get("enterprise_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new IllegalArgumentException("enterprise_id must be a non-empty string");
    }
    Map<String, Double> fields = new LinkedHashMap<>();
    JsonNode f = root.get("fields");
    if (f != null && !f.isNull()) {
      if (!f.isObject()) {
        throw new IllegalArgumentException("fields must be an object {\"column\": number, ...}");
      }
      for (var it = f.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode v = e.getValue();
        if (v.isNull()) {
          fields.put(e.getKey(), Double.NaN);
        } else if (v.isNumber()) {
          fields.put(e.getKey(), v.asDouble());
        } else {
          throw new IllegalArgumentException(
              "fields." + e.getKey() + " must be a number or null (missing), not " + v);
        }
      }
    }
    JsonNode cf = root.get("counterfactuals");
    if (cf != null && !cf.isBoolean()) {
      throw new IllegalArgumentException("counterfactuals must be true or false");
    }
    return new Request(id.asText(), fields, cf == null || cf.asBoolean());
  }

  private static byte[] error(String message) throws JsonProcessingException {
    return JSON.writeValueAsBytes(Map.of("error", message));
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    send(ex, status, body, body.length, new byte[0]);
  }

  /** Answers with the first {@code length} bytes of {@code head}, then {@code tail}. */
  private static void send(HttpExchange ex, int status, byte[] head, int length, byte[] tail)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, (long) length + tail.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(head, 0, length);
      o.write(tail);
    }
  }

  /** The request's Content-Length, or -1 if it has none (chunked) or not a number. */
  static long declaredLength(HttpExchange ex) {
    String v = ex.getRequestHeaders().getFirst("Content-Length");
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v.trim());
      return n >= 0 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The gRPC form of the same API, for the bank's own systems: they call with the bank's own
   * certificate (mutual TLS); any other party's certificate is refused.
   */
  public static final class Grpc extends DecisionsGrpc.DecisionsImplBase {
    private final DecisionEngine engine;
    private final org.fedcredit.modelzoo.federation.PartyId self;

    public Grpc(DecisionEngine engine, org.fedcredit.modelzoo.federation.PartyId self) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.self = Objects.requireNonNull(self, "self");
    }

    @Override
    public void score(ScoreRequest req, StreamObserver<ScoreResponse> out) {
      org.fedcredit.modelzoo.federation.PartyId caller =
          org.fedcredit.transport.tls.PeerIdentity.current();
      if (!caller.equals(self)) {
        out.onError(
            Status.PERMISSION_DENIED
                .withDescription(
                    "Decisions.Score is for "
                        + self
                        + "'s own systems (its certificate); "
                        + caller
                        + " may not ask for credit decisions")
                .asException());
        return;
      }
      DecisionEngine.Issued issued;
      try {
        issued =
            engine.decideAndWrite(
                req.getEnterpriseId(), req.getFieldsMap(), !req.getSkipCounterfactuals());
      } catch (DecisionEngine.ApplicationException e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        return;
      }
      Decision d = issued.decision();
      out.onNext(
          ScoreResponse.newBuilder()
              .setToken(d.token())
              .setOutcome(d.outcome().name())
              .setProbabilityOfDefault(d.probabilityOfDefault())
              .setScore(d.score())
              .setBand(d.band())
              .setDecisionJson(issued.json())
              .setPagePath("/decisions/" + d.token())
              .build());
      out.onCompleted();
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
