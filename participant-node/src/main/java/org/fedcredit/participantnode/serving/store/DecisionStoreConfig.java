package org.fedcredit.participantnode.serving.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the decision store lives: a JDBC URL, credentials and the connection-pool size.
 *
 * <ul>
 *   <li>embedded H2 (the default, nothing to install): {@link #embedded(Path)} puts it in file
 *       {@code <work_dir>/decisions.mv.db}. Any {@code jdbc:h2:} URL runs in H2's PostgreSQL mode
 *       with lower-case identifiers; the store adds those settings when the URL lacks them;
 *   <li>PostgreSQL: {@code jdbc:postgresql://host:5432/db?currentSchema=fedcredit}; the schema must
 *       exist and the user must be allowed to create tables in it.
 * </ul>
 *
 * @param url JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user database user
 * @param password database password, may be empty; never printed
 * @param poolSize maximum pooled connections, 1 to 64 ({@value #DEFAULT_POOL_SIZE} by default)
 */
public record DecisionStoreConfig(String url, String user, String password, int poolSize) {
  /** Default pool size: one per core of a small node is enough for single-row reads and writes. */
  public static final int DEFAULT_POOL_SIZE = 4;

  /** File name (without H2's {@code .mv.db} suffix) of the embedded database in the work dir. */
  public static final String EMBEDDED_FILE_NAME = "decisions";

  /** User of the embedded database (H2 creates it with the database). */
  public static final String EMBEDDED_USER = "fedcredit";

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(password=)[^&;]*", Pattern.CASE_INSENSITIVE);

  public DecisionStoreConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (url.isBlank()) {
      throw new IllegalArgumentException(
          "decision store URL is empty; give a jdbc:postgresql:// URL or use the embedded store");
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException(
          "decision store pool size "
              + poolSize
              + " is out of range; use 1 to 64 (default "
              + DEFAULT_POOL_SIZE
              + ")");
    }
  }

  /**
   * The default: embedded H2 in {@code <workDir>/decisions.mv.db}, user {@value #EMBEDDED_USER}.
   */
  public static DecisionStoreConfig embedded(Path workDir) {
    String file = workDir.toAbsolutePath().normalize().resolve(EMBEDDED_FILE_NAME).toString();
    return new DecisionStoreConfig("jdbc:h2:file:" + file, EMBEDDED_USER, "", DEFAULT_POOL_SIZE);
  }

  /** A store at {@code url} with {@value #DEFAULT_POOL_SIZE} connections. */
  public static DecisionStoreConfig of(String url, String user, String password) {
    return new DecisionStoreConfig(url, user, password, DEFAULT_POOL_SIZE);
  }

  /** The URL with any {@code password=} parameter replaced by {@code ***}, for messages. */
  public String redactedUrl() {
    return PASSWORD_PARAM.matcher(url).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return "DecisionStoreConfig[url="
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
