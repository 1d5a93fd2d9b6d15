package org.fedcredit.participantnode.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a JDBC query runs: URL, user and password (already resolved from the environment; never in
 * the configuration file). {@link #toString()} and every message show the URL without its
 * parameters, so a password in the URL does not reach a log.
 *
 * <p>{@link #connect(String)} gives up after {@link #CONNECT_TIMEOUT} (4 s, so that a dead database
 * is reported within 5 s): a PostgreSQL URL gets the driver's {@code connectTimeout} and {@code
 * loginTimeout}, and for any driver the attempt is abandoned (and its late connection closed) when
 * the bound passes. The connection is read-only.
 *
 * @param url a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test}
 * @param user the database user, if the database needs one
 * @param password the password, if the database needs one
 */
public record JdbcEndpoint(String url, Optional<String> user, Optional<String> password) {

  /** How long a connection attempt may take before it is reported as unreachable. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(4);

  public JdbcEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "'" + redact(url) + "' is not a JDBC URL; write e.g. jdbc:postgresql://host:5432/db");
    }
  }

  /** The URL without parameters (after '?' or ';'), safe for messages and logs. */
  public String redactedUrl() {
    return redact(url);
  }

  /**
   * Opens a read-only connection.
   *
   * @param what what the connection is for, for the message, e.g. {@code dataset 'invoices'}
   * @throws DatasetException naming {@code what} and the URL if the database cannot be reached in
   *     {@link #CONNECT_TIMEOUT}
   */
  public Connection connect(String what) {
    Properties props = new Properties();
    user.ifPresent(u -> props.setProperty("user", u));
    password.ifPresent(p -> props.setProperty("password", p));
    if (url.startsWith("jdbc:postgresql:")) {
      String seconds = Long.toString(CONNECT_TIMEOUT.toSeconds());
      props.setProperty("connectTimeout", seconds);
      props.setProperty("loginTimeout", seconds);
    }
    CompletableFuture<Connection> attempt =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return DriverManager.getConnection(url, props);
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            },
            r -> {
              Thread t = new Thread(r, "jdbc-connect " + redactedUrl());
              t.setDaemon(true);
              t.start();
            });
    try {
      Connection c = attempt.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try {
        c.setReadOnly(true);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (TimeoutException e) {
      attempt.thenAccept(JdbcEndpoint::closeQuietly);
      throw unreachable(what, "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof SQLException s ? s : e.getCause();
      throw unreachable(what, oneLine(cause.getMessage()), cause);
    } catch (SQLException e) {
      throw unreachable(what, oneLine(e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attempt.thenAccept(JdbcEndpoint::closeQuietly);
      throw new DatasetException(what + ": interrupted while connecting to " + redactedUrl(), e);
    }
  }

  private DatasetException unreachable(String what, String reason, Throwable cause) {
    return new DatasetException(
        what
            + ": cannot connect to "
            + redactedUrl()
            + ": "
            + reason
            + "; check that the database is running and the url, user and password_env in the"
            + " node configuration",
        cause);
  }

  /** First line of a driver message, or the exception type if it has none. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given by the driver";
    }
    return message.strip().lines().findFirst().orElse("").strip();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // a late connection nobody waits for; nothing to report to
    }
  }

  private static String redact(String url) {
    int q = url.indexOf('?');
    int s = url.indexOf(';');
    int cut = q < 0 ? s : s < 0 ? q : Math.min(q, s);
    return cut < 0 ? url : url.substring(0, cut);
  }

  @Override
  public String toString() {
    return "JdbcEndpoint["
        + redactedUrl()
        + (user.isPresent() ? ", user " + user.get() : "")
        + (password.isPresent() ? ", password ***" : "")
        + "]";
  }
}
