package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL: each test gets a fresh schema {@code fc_test_<random>},
 * and every schema is dropped when the class ends. The server is {@value #DEFAULT_URL} as {@code
 * postgres} unless FEDCREDIT_TEST_PG_URL, FEDCREDIT_TEST_PG_USER and FEDCREDIT_TEST_PG_PASSWORD say
 * otherwise. An unreachable server fails the class; it does not skip it, because CI runs PostgreSQL
 * and a skipped half of the contract would go unnoticed.
 */
class PostgresCoordinatorStoreTest extends CoordinatorStoreContract {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String URL = env("FEDCREDIT_TEST_PG_URL").orElse(DEFAULT_URL);
  static final String USER = env("FEDCREDIT_TEST_PG_USER").orElse("postgres");
  static final String PASSWORD = env("FEDCREDIT_TEST_PG_PASSWORD").orElse("");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> SCHEMAS = new ArrayList<>();

  @BeforeAll
  static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=5", USER, PASSWORD)) {
      c.isValid(5);
    } catch (SQLException e) {
      fail(
          "PostgreSQL is not reachable at "
              + URL
              + " as "
              + USER
              + ": "
              + CoordinatorStore.reason(e)
              + "; start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or point"
              + " FEDCREDIT_TEST_PG_URL/_USER/_PASSWORD at one");
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String schema : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    SCHEMAS.clear();
  }

  @Override
  protected StoreConfig emptyDatabase() {
    String schema = "fc_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + " at " + URL, e);
    }
    SCHEMAS.add(schema);
    return StoreConfig.of(withSchema(schema), USER, PASSWORD);
  }

  @Override
  protected StoreConfig unreachableDatabase() {
    return StoreConfig.of("jdbc:postgresql://127.0.0.1:1/test", USER, PASSWORD);
  }

  @Test
  void aMissingSchemaIsReportedWithHowToCreateIt() {
    StoreConfig missing = StoreConfig.of(withSchema("fc_test_missing"), USER, PASSWORD);

    assertThatThrownBy(() -> CoordinatorStore.open(missing))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot open the coordinator store at "
                + missing.url()
                + ": the schema named by currentSchema does not exist or is not readable by "
                + USER
                + "; create it (CREATE SCHEMA ...) or check store.url in coordinator.yaml");
  }

  private static String withSchema(String schema) {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }
}
