package org.fedcredit.participantnode.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL the JDBC tests run against: 127.0.0.1:5432, database {@code test}, user {@code
 * postgres} (trust auth). Not reachable means the test fails, with a message saying how to start it
 * — CI starts it, and a skipped JDBC test would hide a broken connector.
 */
public final class TestPostgres {

  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final JdbcEndpoint ENDPOINT =
      new JdbcEndpoint(URL, Optional.of("postgres"), Optional.empty());

  private TestPostgres() {}

  /** A connection for setting up tables; fails the test clearly if PostgreSQL is down. */
  public static Connection admin() {
    try {
      return DriverManager.getConnection(URL + "?connectTimeout=5", "postgres", "");
    } catch (SQLException e) {
      throw new AssertionError(
          "PostgreSQL is not reachable at "
              + URL
              + " as postgres ("
              + e.getMessage()
              + "); the JDBC tests need it: start it with 'pg_ctlcluster --skip-systemctl-redirect"
              + " <version> main start'",
          e);
    }
  }

  /** A table name no other test run uses. */
  public static String uniqueTable(String prefix) {
    return prefix
        + "_"
        + ProcessHandle.current().pid()
        + "_"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  public static void execute(String... sql) {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new AssertionError("setting up PostgreSQL failed: " + e.getMessage(), e);
    }
  }
}
