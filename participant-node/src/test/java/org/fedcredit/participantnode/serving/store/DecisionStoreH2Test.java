package org.fedcredit.participantnode.serving.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionFixtures;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the default embedded H2 database, one file per test in a temp dir. */
class DecisionStoreH2Test extends DecisionStoreContract {
  @TempDir Path dir;
  private DecisionStoreConfig config;

  @Override
  protected DecisionStore openEmpty() {
    config = DecisionStoreConfig.embedded(dir.resolve("work-" + System.nanoTime()));
    return JdbcDecisionStore.open(config);
  }

  @Override
  protected Optional<DecisionStore> reopen() {
    return Optional.of(JdbcDecisionStore.open(config));
  }

  @Test
  void theDefaultDatabaseIsOneFileInTheWorkDirWithTheScalarColumnsFilled() throws Exception {
    Decision undecided = DecisionFixtures.cannotDecide(DecisionTokens.newToken(), T0);
    Decision refused = DecisionFixtures.refused(DecisionTokens.newToken(), T0);
    store.save(undecided);
    store.save(refused);
    store.close();

    String file = config.url().substring("jdbc:h2:file:".length());
    assertThat(Path.of(file + ".mv.db")).isRegularFile();
    try (Connection c =
            DriverManager.getConnection(
                JdbcDecisionStore.effectiveUrl(config.url(), "test"), config.user(), "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT token, outcome, score, probability_of_default, band, model_version"
                    + " FROM decisions ORDER BY outcome")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("token")).isEqualTo(undecided.token());
      assertThat(rs.getString("outcome")).isEqualTo("CANNOT_DECIDE");
      assertThat(rs.getObject("score")).isNull();
      assertThat(rs.getObject("probability_of_default")).isNull();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("outcome")).isEqualTo("REFUSED");
      assertThat(rs.getDouble("score")).isEqualTo(548.2);
      assertThat(rs.getString("band")).isEqualTo("D");
      assertThat(rs.getString("model_version")).isEqualTo("9f3c2a1b");
      assertThat(rs.next()).isFalse();
    }
    store = JdbcDecisionStore.open(config);
  }

  @Test
  void aRowChangedOutsideFedCreditIsReportedNotGuessed() throws Exception {
    Decision refused = DecisionFixtures.refused(DecisionTokens.newToken(), T0);
    store.save(refused);
    try (Connection c =
            DriverManager.getConnection(
                JdbcDecisionStore.effectiveUrl(config.url(), "test"), config.user(), "");
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE decisions SET decision_json = '{\"token\": 7}'");
    }

    assertThatThrownBy(() -> store.find(refused.token()))
        .isInstanceOf(DecisionStoreException.class)
        .hasMessageStartingWith(
            "a row of the decision store at " + config.url() + " holds an unreadable decision")
        .hasMessageEndingWith("; it was changed outside FedCredit, restore it from a backup");
  }

  @Test
  void anUnopenableDatabaseFailsWithOneLineNamingTheUrl() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    DecisionStoreConfig bad = DecisionStoreConfig.embedded(file.resolve("work"));

    assertThatThrownBy(() -> JdbcDecisionStore.open(bad))
        .isInstanceOf(DecisionStoreException.class)
        .hasMessageStartingWith("cannot open the decision store at " + bad.url() + ": ")
        .hasMessageEndingWith("; check the decision store URL in the node configuration")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anUnsupportedUrlIsRefusedWithTheUrlsToUse() {
    DecisionStoreConfig mysql =
        DecisionStoreConfig.of("jdbc:mysql://db/credit?password=secret", "u", "secret");

    assertThatThrownBy(() -> JdbcDecisionStore.open(mysql))
        .isInstanceOf(DecisionStoreException.class)
        .hasMessage(
            "cannot open the decision store at jdbc:mysql://db/credit?password=***: not a"
                + " supported JDBC URL; use jdbc:postgresql://host:5432/database or"
                + " jdbc:h2:file:/path/decisions; check the decision store URL in the node"
                + " configuration");
  }

  @Test
  void theEmbeddedStoreGetsASmallPageCacheUnlessTheUrlSetsOne() throws Exception {
    String url = embeddedUrl("cache");
    assertThat(url).contains(";CACHE_SIZE=4096");
    assertThat(setting(url, "CACHE_SIZE")).isEqualTo("4096");
    assertThat(JdbcDecisionStore.effectiveUrl("jdbc:h2:mem:x;CACHE_SIZE=100", "test"))
        .contains(";CACHE_SIZE=100")
        .doesNotContain("4096");
  }

  @Test
  void theEmbeddedStoreNeverStopsAnInsertToAnalyseTheTable() throws Exception {
    assertThat(setting(embeddedUrl("analyze"), "ANALYZE_AUTO")).isEqualTo("0");
    assertThat(JdbcDecisionStore.effectiveUrl("jdbc:h2:mem:x;ANALYZE_AUTO=500", "test"))
        .contains(";ANALYZE_AUTO=500")
        .doesNotContain("ANALYZE_AUTO=0");
  }

  private String embeddedUrl(String name) {
    return JdbcDecisionStore.effectiveUrl(
        DecisionStoreConfig.embedded(dir.resolve(name)).url(), "test");
  }

  /** The value H2 reports for one of its settings, opened at {@code url}. */
  private static String setting(String url, String name) throws java.sql.SQLException {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(url, DecisionStoreConfig.EMBEDDED_USER, "");
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE UPPER(SETTING_NAME) = ?")) {
      ps.setString(1, name);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("H2 reports setting %s", name).isTrue();
        return rs.getString(1);
      }
    }
  }
}
