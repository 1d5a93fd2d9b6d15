package org.fedcredit.coordinator.audit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedcredit.coordinator.audit.AuditFixture;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The compliance page in a real headless browser: Debian's chromium driven by its chromedriver
 * through Selenium (nothing downloaded), against a real {@link ComplianceWebServer} on a real H2
 * store filled through {@link AuditLog}. Missing browser: the test fails with the install command
 * (never skipped), as the borrower page's test does.
 */
class ComplianceBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path dir;
  static CoordinatorStore store;
  static AuditLog log;
  static ComplianceWebServer server;
  static ChromeDriverService service;
  static ChromeDriver browser;
  static long size;

  @BeforeAll
  static void start() throws Exception {
    for (Path exe : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(exe)) {
        fail(
            exe
                + " is missing: the compliance page's browser test needs Debian's chromium and"
                + " chromedriver; install them with 'apt-get install chromium chromium-driver'");
      }
    }
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = AuditLog.open(store, AuditFixture.key());
    size = AuditFixture.fill(store, log);
    server = ComplianceWebServer.start(log, store, "127.0.0.1", 0);
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
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=1200,1600",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
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
    if (store != null) {
      store.close();
    }
  }

  @Test
  void theLogPageShowsTheVerifiedLogAndItsJobs() {
    browser.get(server.baseUri().resolve("/audit").toString());

    assertThat(status()).isEqualTo(200);
    assertThat(browser.getTitle()).isEqualTo("Transparency log · FedCredit");
    assertThat(text("#verdict")).isEqualTo("Verified");
    assertThat(text("#size")).isEqualTo(String.valueOf(size));
    assertThat(text("#root")).isEqualTo(MerkleTree.hex(log.log().root(size)) + " at size " + size);
    assertThat(text("#origin")).isEqualTo("fedcredit/coordinator");
    assertThat(text("#checkpoint")).startsWith("fedcredit/coordinator\n" + size + "\n");
    assertThat(text("#check-signature")).startsWith("passed the latest checkpoint (size " + size);
    assertThat(text("#check-store-root")).startsWith("passed the store's subtree hashes give");
    assertThat(text("#check-entries"))
        .startsWith("passed all " + size + " signed entries re-hashed");
    assertThat(text("#no-login")).contains("no login");

    List<WebElement> rows = browser.findElements(By.cssSelector("#jobs tbody tr"));
    assertThat(rows)
        .extracting(r -> r.findElement(By.cssSelector("td.job a")).getText())
        .containsExactlyInAnyOrder(AuditFixture.OK, AuditFixture.REJECTED);
    WebElement ok =
        rows.stream().filter(r -> r.getText().contains(AuditFixture.OK)).findFirst().orElseThrow();
    assertThat(ok.findElement(By.cssSelector("td.name")).getText()).isEqualTo("sme-credit-2026");
    assertThat(ok.findElement(By.cssSelector("td.algorithm")).getText()).isEqualTo("vertical-lr");
    assertThat(ok.findElement(By.cssSelector("td.state")).getText()).isEqualTo("succeeded");
    assertThat(ok.findElement(By.cssSelector("td.entries")).getText()).isEqualTo("11");
  }

  @Test
  void aJobPageShowsEveryEntryReadablyWithItsProof() throws Exception {
    browser.get(server.baseUri().resolve("/audit").toString());
    browser.findElement(By.linkText(AuditFixture.OK)).click();

    assertThat(browser.getCurrentUrl()).endsWith("/audit/jobs/" + AuditFixture.OK);
    assertThat(text("#job-state")).isEqualTo("succeeded");
    List<WebElement> entries = browser.findElements(By.cssSelector("section.entry"));
    assertThat(entries)
        .extracting(e -> e.findElement(By.cssSelector(".index")).getText())
        .containsExactly("#0", "#1", "#2", "#3", "#4", "#5", "#6", "#7", "#8", "#9", "#10");
    assertThat(entries)
        .extracting(e -> e.findElement(By.cssSelector(".type")).getText())
        .containsExactly(
            "Job submitted",
            "Party decision",
            "Party decision",
            "Party decision",
            "PSI completed",
            "Encrypted round",
            "Encrypted round",
            "Encrypted round",
            "Encrypted round",
            "Model published",
            "Job ended");

    WebElement tax = browser.findElement(By.id("entry-2"));
    assertThat(tax.findElement(By.className("party")).getText()).isEqualTo("tax-bureau");
    assertThat(tax.findElement(By.className("decision")).getText()).isEqualTo("accepted");
    assertThat(tax.findElement(By.className("reason")).getText())
        .isEqualTo("policy allows these columns");
    assertThat(tax.findElement(By.className("columns")).getText())
        .isEqualTo("overdraft_use, late_repayments_12m");

    assertThat(browser.findElements(By.cssSelector("#entry-4 table.psi td.aligned")))
        .extracting(WebElement::getText)
        .containsExactly("1800", "1800", "1800");

    WebElement round1 = browser.findElement(By.id("entry-7"));
    assertThat(round1.findElement(By.className("round-summary")).getText())
        .isEqualTo(
            "Round 1 of step train: paillier-djn, 2048-bit key, 3 ciphertext vectors received");
    assertThat(round1.findElement(By.className("key-bits")).getText()).isEqualTo("2048 bits");
    assertThat(round1.findElement(By.className("encoding")).getText())
        .isEqualTo("fixed-point, 40 fractional bits, unpacked");
    assertThat(round1.findElement(By.className("ciphertexts")).getText()).isEqualTo("60");
    assertThat(round1.findElements(By.cssSelector("table.received tbody tr"))).hasSize(3);
    assertThat(round1.findElement(By.cssSelector("table.received td.hash")).getText())
        .isEqualTo(String.format("%064x", 1000));

    assertThat(browser.findElement(By.cssSelector("#entry-5 .public-key-sent")).getText())
        .isEqualTo("Public key k-77 sent to bank: 2048-bit modulus, SHA-256 " + "56".repeat(32));
    assertThat(browser.findElement(By.cssSelector("#entry-9 table.shards")).getText())
        .contains("bank " + AuditFixture.SHARD_BANK);
    assertThat(browser.findElement(By.cssSelector("#entry-10 .end-state")).getText())
        .isEqualTo("succeeded");

    round1.findElement(By.className("proof")).click();
    assertThat(browser.getCurrentUrl()).endsWith("/audit/entries/7/proof");
    String json = browser.findElement(By.tagName("body")).getText();
    assertThat(EntryProof.parse(json).verify(AuditFixture.key().verifier()).size()).isEqualTo(size);
  }

  @Test
  void markupInAReasonIsShownAsTextAndUnknownJobsGiveA404Page() {
    browser.get(server.baseUri().resolve("/audit/jobs/" + AuditFixture.REJECTED).toString());

    assertThat(browser.findElement(By.cssSelector("#entry-12 .reason")).getText())
        .isEqualTo(AuditFixture.XSS_REASON);
    assertThat(browser.findElements(By.tagName("script"))).isEmpty();

    browser.get(server.baseUri().resolve("/audit/jobs/job-unknown").toString());
    assertThat(status()).isEqualTo(404);
    assertThat(text("h1")).isEqualTo("Job not found");
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private static int status() {
    Object s =
        ((JavascriptExecutor) browser)
            .executeScript("return performance.getEntriesByType('navigation')[0].responseStatus;");
    return ((Number) s).intValue();
  }
}
