package org.fedcredit.coordinator.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the coordinator store lives: a JDBC URL, credentials and the connection-pool size.
 *
 * <p>Two databases are supported, both running the same migrations:
 *
 * <ul>
 *   <li>embedded H2 (the default, nothing to install): {@link #embedded(Path)} puts it in the
 *       coordinator's work directory. Any {@code jdbc:h2:} URL is run in H2's PostgreSQL mode with
 *       lower-case identifiers; the store adds those settings when the URL lacks them;
 *   <li>PostgreSQL: {@code jdbc:postgresql://host:5432/db?currentSchema=fedcredit}; the schema must
 *       exist and the user must be allowed to create tables in it.
 * </ul>
 *
 * @param url JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user database user
 * @param password database password, may be empty; never printed ({@link #toString()} and error
 *     messages redact it)
 * @param poolSize maximum number of pooled connections, 1 to 64 ({@value #DEFAULT_POOL_SIZE} by
 *     default)
 */
public record StoreConfig(String url, String user, String password, int poolSize) {
  /** Default pool size: the coordinator's writers are few; more connections would only queue. */
  public static final int DEFAULT_POOL_SIZE = 4;

  /** File name (without H2's {@code .mv.db} suffix) of the embedded database in the work dir. */
  public static final String EMBEDDED_FILE_NAME = "coordinator";

  /** Default user of the embedded database (H2 creates it with the database). */
  public static final String EMBEDDED_USER = "fedcredit";

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(password=)[^&;]*", Pattern.CASE_INSENSITIVE);

  public StoreConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (url.isBlank()) {
      throw new IllegalArgumentException(
          "store URL is empty; set store.url in coordinator.yaml or leave it out for the embedded"
              + " database");
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException(
          "store pool size " + poolSize + " is out of range; use 1 to 64 (default 4)");
    }
  }

  /**
   * The default store: an embedded H2 database in file {@code <workDir>/coordinator.mv.db}, user
   * {@value #EMBEDDED_USER}, empty password, {@value #DEFAULT_POOL_SIZE} connections.
   */
  public static StoreConfig embedded(Path workDir) {
    String file = workDir.toAbsolutePath().normalize().resolve(EMBEDDED_FILE_NAME).toString();
    return new StoreConfig("jdbc:h2:file:" + file, EMBEDDED_USER, "", DEFAULT_POOL_SIZE);
  }

  /** A store at {@code url} with {@value #DEFAULT_POOL_SIZE} connections. */
  public static StoreConfig of(String url, String user, String password) {
    return new StoreConfig(url, user, password, DEFAULT_POOL_SIZE);
  }

  /** The URL with any {@code password=} parameter replaced by {@code ***}, for messages. */
  public String redactedUrl() {
    return PASSWORD_PARAM.matcher(url).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return "StoreConfig[url="
        + redactedUrl()
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "" : "***")
        + ", poolSize="
        + poolSize
        + "]";
  }
}
