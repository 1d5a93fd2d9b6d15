package org.fedcredit.participantnode.serving.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionJson;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link DecisionStore}: table {@code decisions} on embedded H2 (the default, a file
 * in the node's work dir) or PostgreSQL, through JDBC with HikariCP.
 *
 * <p>{@link #open(DecisionStoreConfig)} connects (failing within {@value #CONNECT_TIMEOUT_SECONDS}
 * s with a one-line {@link DecisionStoreException} naming the URL) and applies the Flyway
 * migrations in {@code db/migration/decisions} (history table {@value #HISTORY_TABLE}, so the
 * schema can be shared with other stores). The same migrations and the same contract tests run on
 * both databases.
 *
 * <p>Each decision is one row: column {@code decision_json} holds the whole decision as issued
 * ({@link DecisionJson}), which is what is read back, so the round trip is exact; the scalar
 * columns repeat its fields for filtering and ordering ({@code decided_at} to the microsecond). A
 * save is one {@code INSERT} in its own transaction: it is written whole or not at all.
 */
public final class JdbcDecisionStore implements DecisionStore {
  /** Upper bound, in seconds, on connecting to the database (at open and for each pooled use). */
  public static final int CONNECT_TIMEOUT_SECONDS = 5;

  static final String MIGRATIONS = "classpath:db/migration/decisions";
  static final String HISTORY_TABLE = "decisions_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcDecisionStore.class);
  private static final String H2 = "jdbc:h2:";

  /** H2's page cache for the decision store, in KiB, unless the URL sets CACHE_SIZE. */
  static final int H2_CACHE_KB = 4096;

  private static final String POSTGRES = "jdbc:postgresql:";
  private static final String FIX_URL = "check the decision store URL in the node configuration";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INSERT =
      "INSERT INTO decisions (token, decided_at, enterprise_id, model_job, model_version,"
          + " model_algorithm, outcome, probability_of_default, score, band, decision_json,"
          + " decision_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final HikariDataSource pool;
  private final String where;

  private JdbcDecisionStore(HikariDataSource pool, String where) {
    this.pool = pool;
    this.where = where;
  }

  /**
   * Opens the store described by {@code config}, migrating it to the current schema.
   *
   * @throws DecisionStoreException if the URL is not an H2 or PostgreSQL JDBC URL, the database
   *     cannot be reached within {@value #CONNECT_TIMEOUT_SECONDS} s, or the migrations fail
   */
  public static JdbcDecisionStore open(DecisionStoreConfig config) {
    Objects.requireNonNull(config, "config");
    String where = config.redactedUrl();
    String url = effectiveUrl(config.url(), where);
    boolean postgres = url.startsWith(POSTGRES);
    probe(config, url, postgres, where);

    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("fedcredit-decision-store");
    hikari.setJdbcUrl(url);
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS));
    hikari.setValidationTimeout(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS) / 2);
    if (postgres) {
      postgresTimeouts().forEach(hikari::addDataSourceProperty);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new DecisionStoreException(cannotOpen(where, e), e);
    }
    try {
      migrate(pool, where);
      return new JdbcDecisionStore(pool, where);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  @Override
  public void save(Decision decision) {
    saveAndWrite(decision);
  }

  @Override
  public Stored saveAndWrite(Decision decision) {
    DecisionChecks.storable(decision);
    Stored stored = Stored.of(decision);
    String json = stored.json();
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        ps.setString(1, decision.token());
        ps.setObject(
            2,
            OffsetDateTime.ofInstant(
                decision.decidedAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        ps.setString(3, decision.enterpriseId());
        ps.setString(4, decision.model().job());
        ps.setString(5, decision.model().version());
        ps.setString(6, decision.model().algorithm());
        ps.setString(7, decision.outcome().name());
        setNumber(ps, 8, decision.probabilityOfDefault());
        setNumber(ps, 9, decision.score());
        ps.setString(10, decision.band());
        ps.setString(11, json);
        ps.setString(12, stored.sha256());
        ps.executeUpdate();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        if (e instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
          throw new DuplicateDecisionException(decision.token());
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("store decision " + decision.token(), e);
    }
    return stored;
  }

  @Override
  public Optional<Decision> find(String token) {
    if (!DecisionTokens.isWellFormed(token)) {
      return Optional.empty();
    }
    return query(
            "read decision " + token,
            "SELECT decision_json FROM decisions WHERE token = ?",
            ps -> ps.setString(1, token))
        .stream()
        .findFirst();
  }

  @Override
  public List<Decision> recent(int limit, Optional<Decision.Outcome> outcome) {
    DecisionChecks.requireLimit(limit);
    Objects.requireNonNull(outcome, "outcome");
    String filter = outcome.isPresent() ? " WHERE outcome = ?" : "";
    return query(
        "list recent decisions",
        "SELECT decision_json FROM decisions"
            + filter
            + " ORDER BY decided_at DESC, token ASC LIMIT ?",
        ps -> {
          int i = 1;
          if (outcome.isPresent()) {
            ps.setString(i++, outcome.get().name());
          }
          ps.setInt(i, limit);
        });
  }

  @Override
  public List<Written> writtenAfter(java.time.Instant at, String token, int limit) {
    DecisionChecks.requireLimit(limit);
    OffsetDateTime t = OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT token, decided_at, model_job, model_version, decision_sha256,"
                    + " CASE WHEN decision_sha256 IS NULL THEN decision_json END FROM decisions"
                    + " WHERE decided_at > ? OR (decided_at = ? AND token > ?)"
                    + " ORDER BY decided_at, token LIMIT ?")) {
      ps.setObject(1, t);
      ps.setObject(2, t);
      ps.setString(3, token);
      ps.setInt(4, limit);
      List<Written> out = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Written(
                  rs.getString(1),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5) != null
                      ? rs.getString(5)
                      : DecisionStore.sha256(rs.getString(6))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new DecisionStoreException(
          "cannot read decisions after " + at + " from " + where + ": " + e.getMessage(), e);
    }
  }

  /** Closes every pooled connection; an embedded database is closed with its last connection. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "JdbcDecisionStore[" + where + "]";
  }

  // -------------------------------------------------------------------------------- internals

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<Decision> query(String what, String sql, Binder binder) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<Decision> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(decode(rs.getString(1)));
        }
        return List.copyOf(rows);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private Decision decode(String json) {
    try {
      return DecisionJson.read(json);
    } catch (IllegalArgumentException e) {
      throw new DecisionStoreException(
          "a row of the decision store at "
              + where
              + " holds an unreadable decision ("
              + e.getMessage()
              + "); it was changed outside FedCredit, restore it from a backup",
          e);
    }
  }

  private Connection connection() throws SQLException {
    if (pool.isClosed()) {
      throw new IllegalStateException(
          "the decision store at " + where + " is closed; open it again to use it");
    }
    return pool.getConnection();
  }

  private static void setNumber(PreparedStatement ps, int index, double value) throws SQLException {
    if (Double.isNaN(value)) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  private static void rollback(Connection c, Exception e) {
    try {
      c.rollback();
    } catch (SQLException rollback) {
      e.addSuppressed(rollback);
    }
  }

  private DecisionStoreException failure(String what, SQLException e) {
    boolean connection =
        e instanceof SQLTransientConnectionException
            || e instanceof SQLNonTransientConnectionException
            || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    String fix =
        connection
            ? "check that the database is up and that the decision store URL points at it"
            : "the database refused the statement (SQLState "
                + e.getSQLState()
                + "); report this with the node's log";
    return new DecisionStoreException(
        "cannot " + what + " in the decision store at " + where + ": " + reason(e) + "; " + fix, e);
  }

  static String effectiveUrl(String url, String where) {
    if (url.startsWith(POSTGRES)) {
      return url;
    }
    if (!url.startsWith(H2)) {
      throw new DecisionStoreException(
          "cannot open the decision store at "
              + where
              + ": not a supported JDBC URL; use jdbc:postgresql://host:5432/database or"
              + " jdbc:h2:file:/path/decisions; "
              + FIX_URL);
    }
    String upper = url.toUpperCase(Locale.ROOT);
    StringBuilder effective = new StringBuilder(url);
    if (!upper.contains(";MODE=")) {
      effective.append(";MODE=PostgreSQL");
    } else if (!upper.contains(";MODE=POSTGRESQL")) {
      throw new DecisionStoreException(
          "cannot open the decision store at "
              + where
              + ": H2 must run in MODE=PostgreSQL to share the PostgreSQL migrations; remove MODE"
              + " from the URL; "
              + FIX_URL);
    }
    if (!upper.contains(";DATABASE_TO_LOWER=")) {
      effective.append(";DATABASE_TO_LOWER=TRUE");
    }
    if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
      // The node closes the store itself in its shutdown hook, after reporting its last decisions
      // to the audit log; H2's own hook would close it under the node's feet.
      effective.append(";DB_CLOSE_ON_EXIT=FALSE");
    }
    if (!upper.contains(";CACHE_SIZE=")) {
      // The store is written once per decision and read rarely (a borrower's page, the officer's
      // list, the audit catch-up): H2's default 64 MB page cache only churns, and at 500
      // decisions/s the churn tripled the node's young-GC pauses (18-31 ms against 8-11 ms).
      effective.append(";CACHE_SIZE=").append(H2_CACHE_KB);
    }
    if (!upper.contains(";ANALYZE_AUTO=")) {
      // H2 re-computes the planner's statistics after 2,000, 6,000, 14,000, 30,000... inserts,
      // in the inserting session: the decision then waits while 10,000 stored decisions are read
      // (190 ms at the 14,000th insert, 104 ms at the 30,000th, measured). Every query of the
      // store goes by its primary key or an index, which needs no statistics.
      effective.append(";ANALYZE_AUTO=0");
    }
    return effective.toString();
  }

  private static Map<String, String> postgresTimeouts() {
    String seconds = Integer.toString(CONNECT_TIMEOUT_SECONDS);
    return Map.of(
        "connectTimeout", seconds,
        "loginTimeout", seconds,
        "ApplicationName", "fedcredit-decision-store");
  }

  /** Connects once outside the pool, so a bad URL or a missing schema fails fast in one line. */
  private static void probe(
      DecisionStoreConfig config, String url, boolean postgres, String where) {
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password());
    if (postgres) {
      postgresTimeouts().forEach(props::setProperty);
    }
    try (Connection c = DriverManager.getConnection(url, props)) {
      if (postgres && c.getSchema() == null) {
        throw new DecisionStoreException(
            "cannot open the decision store at "
                + where
                + ": the schema named by currentSchema does not exist or is not readable by "
                + config.user()
                + "; create it (CREATE SCHEMA ...) or "
                + FIX_URL);
      }
    } catch (SQLException e) {
      throw new DecisionStoreException(cannotOpen(where, e), e);
    }
  }

  private static String cannotOpen(String where, Throwable e) {
    return "cannot open the decision store at " + where + ": " + reason(e) + "; " + FIX_URL;
  }

  private static void migrate(HikariDataSource pool, String where) {
    try {
      MigrateResult result =
          Flyway.configure(JdbcDecisionStore.class.getClassLoader())
              .dataSource(pool)
              .locations(MIGRATIONS)
              .table(HISTORY_TABLE)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      LOG.info(
          "decision store at {}: schema version {} ({} migration(s) applied now)",
          where,
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new DecisionStoreException(
          "cannot migrate the decision store at "
              + where
              + ": "
              + oneLine(e.getMessage())
              + "; use a database or schema that only this node's decision store (or an older"
              + " version of it) has migrated",
          e);
    }
  }

  /** The cause of a failure in a few words: network causes first, else the message. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer within " + CONNECT_TIMEOUT_SECONDS + " s";
      }
    }
    Throwable described = e;
    while (described.getMessage() == null && described.getCause() != null) {
      described = described.getCause();
    }
    return described.getMessage() == null
        ? described.getClass().getSimpleName()
        : oneLine(described.getMessage());
  }

  private static String oneLine(String message) {
    String line = message.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\.$", "");
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }
}
