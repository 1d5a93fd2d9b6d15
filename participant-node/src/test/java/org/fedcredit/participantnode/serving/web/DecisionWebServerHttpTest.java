package org.fedcredit.participantnode.serving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.Decision.Reason;
import org.fedcredit.participantnode.serving.DecisionFixtures;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.participantnode.serving.store.DecisionStoreException;
import org.fedcredit.participantnode.serving.store.InMemoryDecisionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web server over plain HTTP: statuses, headers, authentication, escaping, routes. */
class DecisionWebServerHttpTest {
  static final String OFFICER_TOKEN = "officer-" + DecisionTokens.newToken();
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");
  static final String HOSTILE_ID = "<script>alert('id')</script>\"&";
  static final String HOSTILE_REASON = "<img src=x onerror=alert(1)> & \"quoted\"";

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static ExecutorService executor;
  static InMemoryDecisionStore store;
  static DecisionWebServer server;
  static Decision refused;
  static Decision approved;
  static Decision undecided;
  static Decision hostile;

  @BeforeAll
  static void start() {
    store = new InMemoryDecisionStore();
    refused = DecisionFixtures.refused(DecisionTokens.newToken(), T0);
    approved = DecisionFixtures.approved(DecisionTokens.newToken(), T0.plusSeconds(60));
    undecided = DecisionFixtures.cannotDecide(DecisionTokens.newToken(), T0.plusSeconds(120));
    Decision base = DecisionFixtures.refused(DecisionTokens.newToken(), T0.plusSeconds(180));
    hostile =
        new Decision(
            base.token(),
            base.decidedAt(),
            HOSTILE_ID,
            new Decision.ModelRef("job<1>", "v\"2", "lr'"),
            base.outcome(),
            base.probabilityOfDefault(),
            base.score(),
            "<b>D</b>",
            base.explanation(),
            List.of(new Reason("R<9>", Map.of("en", HOSTILE_REASON, "zh", HOSTILE_REASON), 1)),
            base.counterfactuals(),
            Map.of("en", "</p><script>alert('note')</script>"));
    for (Decision d : List.of(refused, approved, undecided, hostile)) {
      store.save(d);
    }
    executor = Executors.newFixedThreadPool(2);
    server =
        new DecisionWebServer(
            store,
            OFFICER_TOKEN,
            new InetSocketAddress("127.0.0.1", 0),
            executor,
            ZoneId.of("Asia/Shanghai"));
    server.route(
        "/v1/decisions",
        exchange -> {
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
        });
    server.route(
        "/v1/broken",
        exchange -> {
          throw new IllegalStateException("boom in a routed handler");
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    executor.shutdownNow();
  }

  @Test
  void theBorrowerPageIsHtmlWithEveryPartOfTheDecision() throws Exception {
    HttpResponse<String> r = get("/decisions/" + refused.token(), Map.of());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Content-Language")).contains("en");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'; style-src 'sha256-");
    String html = r.body();
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<html lang=\"en\">")
        .contains("data-outcome=\"REFUSED\">Not approved<")
        .contains("548 points", "Band D", "39.4%")
        .contains("Your overdraft is used close to its limit", "Reason code R14")
        .contains("Information from the tax bureau", "shared as one block")
        .contains("If your Overdraft use were 0.55 instead of 0.92, your score would be 613 points")
        .contains("vertical-lr, version 9f3c2a1b (training job job-2026-11-sme-17)")
        .contains("2026-11-27 09:00:00 UTC+08:00")
        .doesNotContain("<script", "http://", "https://", "src=");
    String css = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("style-src '" + sha256(css) + "'");
    assertThat(count(html, "<rect ")).isEqualTo(5);
    assertThat(count(html, "<rect class=\"adverse\"")).isEqualTo(4);
    assertThat(count(html, "<ol class=\"reasons\"")).isEqualTo(1);
    assertThat(count(html, "<li><span class=\"reason\">")).isEqualTo(4);
    // Attributions are drawn, never printed: the only numbers in the text are the allowed ones.
    assertThat(numbersIn(visibleText(html), refused))
        .isSubsetOf(
            "548", "39.4", "613", "18.8", "630", "15.6", "0.55", "0.92", "0.7", "0", "3", "12",
            "03", "07", "11", "14");
    for (String raw : DecisionFixtures.PROVIDER_RAW_VALUES) {
      assertThat(html).doesNotContain(raw);
    }
  }

  @Test
  void theLanguageComesFromTheQueryElseTheBrowserElseEnglish() throws Exception {
    String chinese =
        get("/decisions/" + refused.token(), Map.of("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"))
            .body();
    assertThat(chinese)
        .contains("<html lang=\"zh-CN\">", "未获批准", "您的透支额度接近用满", "来自税务局的信息", "整体信息")
        .contains("如果您的透支额度使用率是 0.55 而不是 0.92")
        .doesNotContain("Not approved", "Your overdraft");

    String english =
        get("/decisions/" + refused.token() + "?lang=en", Map.of("Accept-Language", "zh-CN"))
            .body();
    assertThat(english).contains("<html lang=\"en\">", "Not approved").doesNotContain("未获批准");

    String forced = get("/decisions/" + refused.token() + "?lang=zh", Map.of()).body();
    assertThat(forced).contains("<html lang=\"zh-CN\">", "未获批准");

    String unknown =
        get("/decisions/" + refused.token() + "?lang=fr", Map.of("Accept-Language", "fr-FR"))
            .body();
    assertThat(unknown).contains("<html lang=\"en\">");
  }

  @Test
  void approvedAndUndecidedPagesShowWhatTheyHave() throws Exception {
    String ok = get("/decisions/" + approved.token(), Map.of()).body();
    assertThat(ok).contains("Your application is approved.", "701 points", "Band A", "4.0%");
    assertThat(ok).doesNotContain("id=\"reasons\"", "id=\"suggestions\"");
    assertThat(count(ok, "<rect ")).isEqualTo(3);

    String none = get("/decisions/" + undecided.token() + "?lang=zh", Map.of()).body();
    assertThat(none)
        .contains("暂时无法作出决定", "税务局未能及时响应")
        .doesNotContain("id=\"score\"", "id=\"pd\"", "<svg", "NaN");
  }

  @Test
  void unknownOrMalformedTokensAndUnknownPathsGiveA404PageInEitherLanguage() throws Exception {
    for (String path :
        List.of(
            "/decisions/" + DecisionTokens.newToken(),
            "/decisions/short",
            "/decisions/",
            "/decisions/" + refused.token() + "/x",
            "/decisions/%3Cscript%3E",
            "/decisions/..%2F..%2Fetc%2Fpasswd",
            "/nothing-here",
            "/")) {
      HttpResponse<String> en = get(path, Map.of());
      assertThat(en.statusCode()).as(path).isEqualTo(404);
      assertThat(en.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
      assertThat(en.body())
          .as(path)
          .contains("Decision not found")
          .doesNotContain("Exception", "<script");
      HttpResponse<String> zh = get(path, Map.of("Accept-Language", "zh"));
      assertThat(zh.statusCode()).isEqualTo(404);
      assertThat(zh.body()).contains("未找到该决定");
    }
  }

  @Test
  void hostileStringsAreEscapedEverywhere() throws Exception {
    String page = get("/decisions/" + hostile.token(), Map.of()).body();
    assertThat(page)
        .doesNotContain("<script", "<img", "<b>D</b>", "job<1>", "</p><script>")
        .contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;&quot;&amp;")
        .contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;")
        .contains("&lt;b&gt;D&lt;/b&gt;", "Reason code R&lt;9&gt;", "v&quot;2", "lr&#39;");

    String officer = get("/officer/decisions", bearer(OFFICER_TOKEN)).body();
    assertThat(officer)
        .doesNotContain("<script", "<b>D</b>")
        .contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;&quot;&amp;");
  }

  @Test
  void theOfficerViewNeedsTheTokenAsBearerOrBasicPassword() throws Exception {
    HttpResponse<String> none = get("/officer/decisions", Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().allValues("WWW-Authenticate"))
        .containsExactly(
            "Basic realm=\"FedCredit credit officer\", charset=\"UTF-8\"",
            "Bearer realm=\"FedCredit credit officer\"");
    assertThat(none.body()).contains("Sign-in required").doesNotContain(refused.token());

    for (Map<String, String> wrong :
        List.of(
            bearer(OFFICER_TOKEN + "x"),
            bearer(OFFICER_TOKEN.substring(1)),
            Map.of("Authorization", OFFICER_TOKEN),
            Map.of("Authorization", "Basic !!!"),
            basic("officer", "nope"),
            basic(OFFICER_TOKEN, ""))) {
      HttpResponse<String> r = get("/officer/decisions", wrong);
      assertThat(r.statusCode()).as(wrong.toString()).isEqualTo(401);
      assertThat(r.body()).doesNotContain(refused.token());
    }

    HttpResponse<String> bearer = get("/officer/decisions", bearer(OFFICER_TOKEN));
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(bearer.body())
        .contains(refused.token(), approved.token(), undecided.token(), hostile.token())
        .contains("href=\"/decisions/" + refused.token() + "?lang=en\"")
        .contains("91310115MA1K4QXW2T", "vertical-lr 9f3c2a1b");
    HttpResponse<String> basic = get("/officer/decisions", basic("any-officer", OFFICER_TOKEN));
    assertThat(basic.statusCode()).isEqualTo(200);
  }

  @Test
  void theOfficerViewFiltersByOutcomeAndLimitsNewestFirst() throws Exception {
    String refusedOnly = get("/officer/decisions?outcome=refused", bearer(OFFICER_TOKEN)).body();
    assertThat(refusedOnly)
        .contains(refused.token(), hostile.token())
        .doesNotContain(approved.token(), undecided.token());
    assertThat(refusedOnly.indexOf(hostile.token()))
        .isLessThan(refusedOnly.indexOf(refused.token()));

    assertThat(refusedOnly)
        .contains("href=\"?outcome=refused&amp;lang=zh\"")
        .contains("href=\"?outcome=approved&amp;lang=en\"");

    String undecidedOnly =
        get("/officer/decisions?outcome=cannot-decide&lang=zh", bearer(OFFICER_TOKEN)).body();
    assertThat(undecidedOnly).contains(undecided.token(), "近期信贷决定").doesNotContain(refused.token());

    String newest = get("/officer/decisions?limit=1", bearer(OFFICER_TOKEN)).body();
    assertThat(newest).contains(hostile.token()).doesNotContain(refused.token(), approved.token());

    HttpResponse<String> badOutcome =
        get("/officer/decisions?outcome=maybe", bearer(OFFICER_TOKEN));
    assertThat(badOutcome.statusCode()).isEqualTo(400);
    assertThat(badOutcome.body())
        .contains("outcome &#39;maybe&#39; is unknown; use approved, refused or cannot_decide");
    for (String limit : List.of("0", "501", "ten", "%3Cscript%3E")) {
      HttpResponse<String> r = get("/officer/decisions?limit=" + limit, bearer(OFFICER_TOKEN));
      assertThat(r.statusCode()).as(limit).isEqualTo(400);
      assertThat(r.body()).contains("is not a number from 1 to 500").doesNotContain("<script");
    }
  }

  @Test
  void healthSaysUpWhileTheStoreAnswersAndOtherMethodsAreRefused() throws Exception {
    HttpResponse<String> health = get("/health", Map.of());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");

    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/decisions/" + refused.token()))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

    HttpResponse<String> head =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/decisions/" + refused.token()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void routesAddedBeforeStartAreServedAndTheirFailuresAnswer500() throws Exception {
    HttpResponse<String> api =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/v1/decisions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(201);
    assertThat(api.body()).isEqualTo("{\"ok\":true}");

    HttpResponse<String> broken = get("/v1/broken", Map.of());
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).contains("Something went wrong").doesNotContain("boom", "Exception");

    HttpHandler any = exchange -> {};
    assertThatThrownBy(() -> server.route("/v1/late", any))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("route /v1/late must be added before the decision web server starts");
  }

  @Test
  void builtInPathsCannotBeRoutedAndWeakOfficerTokensAreRefused() {
    try (DecisionWebServer s = DecisionWebServer.loopback(store, OFFICER_TOKEN, 0)) {
      assertThatThrownBy(() -> s.route("/health", exchange -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cannot route /health: give a path starting with / other than");
      s.route("/v1/decisions", exchange -> {});
      assertThatThrownBy(() -> s.route("/v1/decisions", exchange -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot route /v1/decisions: it is already routed");
    }
    assertThatThrownBy(() -> DecisionWebServer.loopback(store, "short-secret", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the credit officer token has 12 characters; use at least 16 random ones (e.g."
                + " DecisionTokens.newToken())");
  }

  @Test
  void theModelProofLinkSaysWhyThereIsNoProofWithoutACoordinator() throws Exception {
    try (DecisionWebServer s = DecisionWebServer.loopback(store, OFFICER_TOKEN, 0).start()) {
      HttpResponse<String> page = get(s.baseUri(), "/decisions/" + refused.token(), Map.of());
      assertThat(page.body())
          .contains(
              "<a id=\"model-proof\" href=\""
                  + refused.token()
                  + DecisionWebServer.MODEL_PROOF_SUFFIX
                  + "\">");
      HttpResponse<String> proof =
          get(
              s.baseUri(),
              "/decisions/" + refused.token() + DecisionWebServer.MODEL_PROOF_SUFFIX,
              Map.of());
      assertThat(proof.statusCode()).isEqualTo(404);
      assertThat(proof.body()).contains("not connected to a coordinator");
      HttpResponse<String> unknown =
          get(
              s.baseUri(),
              "/decisions/" + DecisionTokens.newToken() + DecisionWebServer.MODEL_PROOF_SUFFIX,
              Map.of());
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aFailingStoreGivesA503PageAndADownHealthWithoutDetails() throws Exception {
    DecisionStore failing =
        new DecisionStore() {
          @Override
          public void save(Decision decision) {
            throw new DecisionStoreException("cannot store: connection refused at db:5432");
          }

          @Override
          public Optional<Decision> find(String token) {
            throw new DecisionStoreException("cannot read decision: connection refused at db:5432");
          }

          @Override
          public List<Decision> recent(int limit, Optional<Decision.Outcome> outcome) {
            throw new DecisionStoreException("cannot list: connection refused at db:5432");
          }

          @Override
          public List<Written> writtenAfter(java.time.Instant at, String token, int limit) {
            throw new DecisionStoreException("cannot list: connection refused at db:5432");
          }

          @Override
          public void close() {}
        };
    try (DecisionWebServer s = DecisionWebServer.loopback(failing, OFFICER_TOKEN, 0).start()) {
      HttpResponse<String> page = get(s.baseUri(), "/decisions/" + refused.token(), Map.of());
      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.body())
          .contains("Temporarily unavailable")
          .doesNotContain("db:5432", "Exception");
      HttpResponse<String> officer = get(s.baseUri(), "/officer/decisions", bearer(OFFICER_TOKEN));
      assertThat(officer.statusCode()).isEqualTo(503);
      HttpResponse<String> health = get(s.baseUri(), "/health", Map.of());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("{\"status\":\"DOWN\",\"detail\":\"decision store\"}");
    }
  }

  static HttpResponse<String> get(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    return get(server.baseUri(), path, headers);
  }

  static HttpResponse<String> get(URI base, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
            .timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  static Map<String, String> basic(String user, String password) {
    return Map.of(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** The text a reader sees: tags and the style sheet removed, entities of the page decoded. */
  static String visibleText(String html) {
    return html.replaceAll("(?s)<style>.*?</style>", " ")
        .replaceAll("(?s)<title>.*?</title>", " ")
        .replaceAll("<[^>]*>", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  /**
   * The numbers in {@code text} once the decision's identifiers (token, enterprise id, model job
   * and version) and the decision time are taken out.
   */
  static List<String> numbersIn(String text, Decision d) {
    String rest = text;
    for (String known :
        List.of(d.token(), d.enterpriseId(), d.model().job(), d.model().version())) {
      rest = rest.replace(known, " ");
    }
    rest = rest.replaceAll("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC[+-]\\d{2}:\\d{2}", " ");
    Matcher m = Pattern.compile("\\d+(?:\\.\\d+)?").matcher(rest);
    List<String> numbers = new java.util.ArrayList<>();
    while (m.find()) {
      numbers.add(m.group());
    }
    return numbers;
  }

  static String sha256(String text) throws java.security.NoSuchAlgorithmException {
    return "sha256-"
        + Base64.getEncoder()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static int count(String haystack, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
