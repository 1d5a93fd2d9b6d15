package org.fedcredit.participantnode.serving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionFixtures;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.store.DecisionStoreConfig;
import org.fedcredit.participantnode.serving.store.JdbcDecisionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The decision pages in a real headless browser (issue 6, item 6): Debian's chromium driven by its
 * chromedriver through Selenium, against a real {@link DecisionWebServer} on a real H2 store.
 * Nothing is downloaded: the driver and the browser are the system's, and the browser's background
 * networking is off. If they are missing the test fails (it is never skipped) with the command that
 * installs them.
 *
 * <p>Set {@code -Dfedcredit.screenshots=<dir>} to save the pages as PNG (the documentation's images
 * come from there).
 */
class DecisionPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String OFFICER_TOKEN = DecisionTokens.newToken();
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");

  @TempDir static Path dir;
  static JdbcDecisionStore store;
  static ExecutorService executor;
  static DecisionWebServer server;
  static ChromeDriverService service;
  static ChromeDriver browser;
  static Decision refused;
  static Decision approved;
  static Decision undecided;

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    installIfMissing();
    requireExecutables(CHROMIUM, CHROMEDRIVER);
    store = JdbcDecisionStore.open(DecisionStoreConfig.embedded(dir.resolve("work")));
    refused = DecisionFixtures.refused(DecisionTokens.newToken(), T0);
    approved = DecisionFixtures.approved(DecisionTokens.newToken(), T0.plusSeconds(60));
    undecided = DecisionFixtures.cannotDecide(DecisionTokens.newToken(), T0.plusSeconds(120));
    for (Decision d : List.of(refused, approved, undecided)) {
      store.save(d);
    }
    executor = Executors.newFixedThreadPool(2);
    server =
        new DecisionWebServer(
                store,
                OFFICER_TOKEN,
                new InetSocketAddress("127.0.0.1", 0),
                executor,
                ZoneId.of("Asia/Shanghai"))
            .start();

    // Selenium Manager must not look for (or download) a driver: the paths are given.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("se.offline", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=1000,1800",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  /**
   * On a fresh Debian machine run as root (CI, a container), installs Debian's chromium and
   * chromedriver when they are missing, so that {@code mvn -B verify} needs nothing else; elsewhere
   * {@link #requireExecutables} fails with the command to run.
   */
  static void installIfMissing() throws Exception {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    if (!"root".equals(System.getProperty("user.name"))
        || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return;
    }
    System.err.println("installing Debian's chromium and chromium-driver for the browser test...");
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh", "-c", "apt-get update -qq && apt-get install -y -qq chromium chromium-driver")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    if (!p.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
  }

  /** Fails (never skips) with the install command when the browser or its driver is missing. */
  static void requireExecutables(Path... executables) {
    for (Path exe : executables) {
      if (!Files.isExecutable(exe)) {
        fail(
            exe
                + " is missing: the borrower page's browser test needs Debian's chromium and"
                + " chromedriver; install them with 'apt-get install chromium chromium-driver'");
      }
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void theRefusedPageShowsTheReasonsTheChartAndTheSuggestions() throws IOException {
    browser.get(server.pageOf(refused.token()).toString());

    assertThat(status()).isEqualTo(200);
    assertThat(browser.getTitle()).isEqualTo("Your credit decision · FedCredit");
    assertThat(text("#outcome")).isEqualTo("Not approved");
    assertThat(text("#score")).isEqualTo("548 points");
    assertThat(text("#band")).isEqualTo("Band D");
    assertThat(text("#pd")).isEqualTo("39.4%");
    assertThat(browser.findElements(By.cssSelector("#reasons li")))
        .extracting(e -> e.findElement(By.className("reason")).getText())
        .containsExactly(
            "Your overdraft is used close to its limit",
            "Recent late repayments on your loans",
            "Information from the tax bureau points to higher risk",
            "Your power consumption is falling");

    List<WebElement> bars = browser.findElements(By.cssSelector("#chart svg rect"));
    assertThat(bars).hasSize(refused.explanation().contributions().size());
    for (WebElement bar : bars) {
      assertThat(bar.getRect().getWidth()).as("a drawn bar").isPositive();
      assertThat(bar.getRect().getHeight()).isPositive();
    }
    assertThat(browser.findElements(By.cssSelector("#chart rect.adverse"))).hasSize(4);
    assertThat(browser.findElements(By.cssSelector("#chart rect.favourable"))).hasSize(1);
    // The largest contribution has the longest bar; the tax bureau is one labelled block.
    assertThat(bars.get(0).getRect().getWidth()).isGreaterThan(bars.get(1).getRect().getWidth());
    assertThat(text("#chart li.block .label"))
        .contains("Information from the tax bureau")
        .contains("shared as one block");
    assertThat(browser.findElements(By.cssSelector("#suggestions li")))
        .extracting(WebElement::getText)
        .containsExactly(
            "If your Overdraft use were 0.55 instead of 0.92, your score would be 613 points"
                + " (probability of default 18.8%).",
            "If your Overdraft use were 0.7 instead of 0.92 and if your Late repayments in the"
                + " last 12 months were 0 instead of 3, your score would be 630 points"
                + " (probability of default 15.6%).");
    assertThat(text("#model"))
        .isEqualTo("vertical-lr, version 9f3c2a1b (training job job-2026-11-sme-17)");
    // The link to the proof of the model's release in the coordinator's audit log.
    assertThat(text("#model-proof"))
        .isEqualTo("proof that this model was released (transparency log entry)");
    assertThat(browser.findElement(By.cssSelector("#model-proof")).getAttribute("href"))
        .endsWith("/decisions/" + refused.token() + DecisionWebServer.MODEL_PROOF_SUFFIX);
    assertThat(text("#decided-at")).isEqualTo("2026-11-27 09:00:00 UTC+08:00");
    screenshot("borrower-page-en.png");
  }

  @Test
  void noRawValueOfAnotherPartyAndNoAttributionIsEverPrinted() {
    browser.get(server.pageOf(refused.token()) + "?lang=en");
    String visible = browser.findElement(By.tagName("body")).getText();
    String source = browser.getPageSource();

    for (String raw : DecisionFixtures.PROVIDER_RAW_VALUES) {
      assertThat(source).doesNotContain(raw);
    }
    assertThat(DecisionWebServerHttpTest.numbersIn(visible, refused))
        .isSubsetOf(
            "548", "39.4", "613", "18.8", "630", "15.6", "0.55", "0.92", "0.7", "0", "3", "12",
            "03", "07", "11", "14");
  }

  @Test
  void theLanguageSwitchTurnsThePageChineseAndBack() throws IOException {
    browser.get(server.pageOf(refused.token()).toString());
    assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");

    browser.findElement(By.id("lang-zh")).click();

    assertThat(browser.getCurrentUrl()).endsWith("?lang=zh");
    assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
    assertThat(text("h1")).isEqualTo("您的信贷决定");
    assertThat(text("#outcome")).isEqualTo("未获批准");
    assertThat(text("#score")).isEqualTo("548 分");
    assertThat(browser.findElements(By.cssSelector("#reasons .reason")))
        .extracting(WebElement::getText)
        .first()
        .isEqualTo("您的透支额度接近用满");
    assertThat(text("#chart li.block .label")).contains("来自税务局的信息").contains("整体信息");
    assertThat(browser.findElements(By.cssSelector("#suggestions li")).get(0).getText())
        .isEqualTo("如果您的透支额度使用率是 0.55 而不是 0.92，您的评分将为 613 分（违约概率 18.8%）。");
    assertThat(browser.findElement(By.tagName("body")).getText())
        .doesNotContain("Not approved", "The main reasons", "What would change the outcome");
    screenshot("borrower-page-zh.png");

    browser.findElement(By.id("lang-en")).click();

    assertThat(text("#outcome")).isEqualTo("Not approved");
  }

  @Test
  void anUnknownTokenGivesA404PageAndTheUndecidedPageItsNote() {
    browser.get(server.pageOf(DecisionTokens.newToken()).toString());

    assertThat(status()).isEqualTo(404);
    assertThat(text("h1")).isEqualTo("Decision not found");
    browser.findElement(By.id("lang-zh")).click();
    assertThat(text("h1")).isEqualTo("未找到该决定");

    browser.get(server.pageOf(undecided.token()) + "?lang=en");
    assertThat(text("#outcome")).isEqualTo("No decision could be made");
    assertThat(text("#note")).startsWith("The tax bureau did not answer in time");
    assertThat(browser.findElements(By.cssSelector("#chart, #score, #reasons, #suggestions")))
        .isEmpty();
  }

  @Test
  void theOfficerViewListsTheDecisionsAndLinksToTheirPages() throws IOException {
    String officer = server.baseUri().resolve("/officer/decisions").toString();
    browser.get(officer);
    assertThat(status()).isEqualTo(401);

    browser.get(officer.replace("http://", "http://officer:" + OFFICER_TOKEN + "@"));

    assertThat(status()).isEqualTo(200);
    List<WebElement> rows = browser.findElements(By.cssSelector("#decisions tbody tr"));
    assertThat(rows)
        .extracting(r -> r.findElement(By.cssSelector("td.token a")).getText())
        .containsExactly(undecided.token(), approved.token(), refused.token());
    assertThat(rows.get(2).getText()).contains("91310115MA1K4QXW2T", "Not approved", "548", "D");
    screenshot("officer-view.png");

    browser.findElement(By.linkText("Not approved")).click();
    assertThat(browser.findElements(By.cssSelector("#decisions tbody tr")))
        .extracting(r -> r.findElement(By.cssSelector("td.token a")).getText())
        .containsExactly(refused.token());

    browser.findElement(By.linkText(refused.token())).click();
    assertThat(browser.getCurrentUrl()).contains("/decisions/" + refused.token());
    assertThat(text("#outcome")).isEqualTo("Not approved");
  }

  @Test
  void onAPhoneThePageFitsTheScreenWidth() throws IOException {
    Dimension desktop = browser.manage().window().getSize();
    try {
      browser.manage().window().setSize(new Dimension(390, 844));
      for (String lang : List.of("zh", "en")) {
        browser.get(server.pageOf(refused.token()) + "?lang=" + lang);
        Object overflow =
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return document.documentElement.scrollWidth"
                        + " - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue())
            .as("horizontal overflow in px, %s", lang)
            .isLessThanOrEqualTo(0);
      }
      screenshot("borrower-page-phone.png");
    } finally {
      browser.manage().window().setSize(desktop);
    }
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  /** The HTTP status of the page the browser shows (Navigation Timing Level 2). */
  private static int status() {
    Object status =
        ((JavascriptExecutor) browser)
            .executeScript("return performance.getEntriesByType('navigation')[0].responseStatus;");
    return ((Number) status).intValue();
  }

  private static void screenshot(String name) throws IOException {
    String target = System.getProperty("fedcredit.screenshots");
    if (target == null || target.isBlank()) {
      return;
    }
    Path out = Path.of(target).resolve(name);
    Files.createDirectories(out.getParent());
    Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
