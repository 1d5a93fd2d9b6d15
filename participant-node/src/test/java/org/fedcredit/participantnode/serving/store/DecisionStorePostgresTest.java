package org.fedcredit.participantnode.serving.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fedcredit.participantnode.data.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on the real PostgreSQL of {@link TestPostgres}: each test gets a fresh schema
 * {@code fc_decisions_<random>}, all dropped when the class ends. An unreachable server fails the
 * class (it is not skipped: half of the contract would go unnoticed).
 */
class DecisionStorePostgresTest extends DecisionStoreContract {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> SCHEMAS = new ArrayList<>();
  private DecisionStoreConfig config;

  @BeforeAll
  static void requirePostgres() throws Exception {
    TestPostgres.admin().close();
  }

  @AfterAll
  static void dropSchemas() throws Exception {
    try (Connection c = TestPostgres.admin();
        Statement s = c.createStatement()) {
      for (String schema : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    SCHEMAS.clear();
  }

  @Override
  protected DecisionStore openEmpty() {
    String schema = "fc_decisions_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    TestPostgres.execute("CREATE SCHEMA " + schema);
    SCHEMAS.add(schema);
    config = DecisionStoreConfig.of(withSchema(schema), "postgres", "");
    return JdbcDecisionStore.open(config);
  }

  @Override
  protected Optional<DecisionStore> reopen() {
    return Optional.of(JdbcDecisionStore.open(config));
  }

  @Test
  void aMissingSchemaIsReportedWithHowToCreateIt() {
    DecisionStoreConfig missing =
        DecisionStoreConfig.of(withSchema("fc_decisions_missing"), "postgres", "");

    assertThatThrownBy(() -> JdbcDecisionStore.open(missing))
        .isInstanceOf(DecisionStoreException.class)
        .hasMessage(
            "cannot open the decision store at "
                + missing.url()
                + ": the schema named by currentSchema does not exist or is not readable by"
                + " postgres; create it (CREATE SCHEMA ...) or check the decision store URL in the"
                + " node configuration");
  }

  @Test
  void anUnreachableServerFailsFastWithOneLine() {
    DecisionStoreConfig down =
        DecisionStoreConfig.of("jdbc:postgresql://127.0.0.1:1/test", "postgres", "");

    assertThatThrownBy(() -> JdbcDecisionStore.open(down))
        .isInstanceOf(DecisionStoreException.class)
        .hasMessage(
            "cannot open the decision store at jdbc:postgresql://127.0.0.1:1/test: connection"
                + " refused; check the decision store URL in the node configuration");
  }

  private static String withSchema(String schema) {
    return TestPostgres.URL + "?currentSchema=" + schema;
  }
}
