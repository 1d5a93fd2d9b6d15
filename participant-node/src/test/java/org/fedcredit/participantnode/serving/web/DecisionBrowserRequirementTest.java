package org.fedcredit.participantnode.serving.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The browser test fails, with the command to fix it, on a machine without chromium. */
class DecisionBrowserRequirementTest {
  @Test
  void aMissingBrowserFailsWithTheInstallCommand() {
    Path missing = Path.of("/nonexistent/chromium");

    assertThatThrownBy(
            () ->
                DecisionPageBrowserTest.requireExecutables(
                    DecisionPageBrowserTest.CHROMEDRIVER, missing))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "/nonexistent/chromium is missing: the borrower page's browser test needs Debian's"
                + " chromium and chromedriver; install them with 'apt-get install chromium"
                + " chromium-driver'");
  }
}
