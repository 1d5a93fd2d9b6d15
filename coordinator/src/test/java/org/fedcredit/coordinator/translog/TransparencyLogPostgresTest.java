package org.fedcredit.coordinator.translog;

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
import org.fedcredit.coordinator.store.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The log on a real PostgreSQL, a fresh schema {@code fc_translog_<random>} per test, dropped at
 * the end; the server as for the store tests (FEDCREDIT_TEST_PG_URL/_USER/_PASSWORD, default
 * 127.0.0.1:5432/test as postgres). An unreachable server fails the class.
 */
class TransparencyLogPostgresTest extends TransparencyLogContract {
  static final String URL =
      env("FEDCREDIT_TEST_PG_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = env("FEDCREDIT_TEST_PG_USER").orElse("postgres");
  static final String PASSWORD = env("FEDCREDIT_TEST_PG_PASSWORD").orElse("");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> SCHEMAS = new ArrayList<>();

  @BeforeAll
  static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=5", USER, PASSWORD)) {
      c.isValid(5);
    } catch (SQLException e) {
      fail("PostgreSQL is not reachable at " + URL + " as " + USER + ": " + e.getMessage());
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
    String schema = "fc_translog_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + " at " + URL, e);
    }
    SCHEMAS.add(schema);
    return StoreConfig.of(
        URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
  }

  /** Fewer sizes than on H2: each root is a handful of network round trips. */
  @Override
  protected int everySizeUpTo() {
    return 300;
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }
}
