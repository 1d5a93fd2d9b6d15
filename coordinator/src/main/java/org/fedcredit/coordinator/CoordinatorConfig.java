package org.fedcredit.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * The coordinator's configuration, read from one YAML file and validated at start:
 *
 * <pre>{@code
 * party: coordinator                  # the CN of the coordinator's certificate (default)
 * listen: {host: 127.0.0.1, port: 7100}
 * tls: {ca: certs/ca.crt, cert: certs/coordinator.crt, key: certs/coordinator.key}
 * work_dir: work/coordinator          # the embedded store lives here
 * store: {url: jdbc:postgresql://127.0.0.1:5432/test, user: postgres, password_env: PGPASSWORD}
 *                                     # optional; default: embedded H2 in work_dir
 * parties: [bank, tax-bureau, utility]  # the only party ids that may register
 * party_timeout_seconds: 15           # silence after which a party fails its running job
 * approval_timeout_seconds: 600       # how long a job waits for manual approvals
 * metrics: {port: 9100, host: 127.0.0.1}  # /metrics and /health; port 0 = off
 * audit:                              # the transparency log (optional section)
 *   key: audit/log.key                # Ed25519 signing key, created on first start
 *                                     # (default: work_dir/audit/log.key; log.pub beside it)
 *   origin: fedcredit/coordinator     # the log's name in its checkpoints (default fedcredit/<party>)
 *   web: {port: 7180, host: 127.0.0.1}  # the compliance page; port 0 = off (default)
 * }</pre>
 *
 * Paths are relative to the file's directory. Every problem is one line naming the file and key.
 */
public record CoordinatorConfig(
    Path file,
    PartyId party,
    String host,
    int port,
    Optional<Tls> tls,
    Path workDir,
    Optional<Store> store,
    Set<PartyId> parties,
    Duration partyTimeout,
    Duration approvalTimeout,
    int metricsPort,
    String metricsHost,
    Audit audit) {

  /**
   * The transparency log's settings.
   *
   * @param key the signing key file (created on first start)
   * @param origin the log's name, the first line of its checkpoints
   * @param webPort the compliance page's port (0 = off)
   * @param webHost the compliance page's listen host
   */
  public record Audit(Path key, String origin, int webPort, String webHost) {}

  /** Certificate files; absent only with --insecure-dev. */
  public record Tls(Path ca, Path cert, Path key) {}

  /** An external relational store. */
  public record Store(String url, String user, Optional<String> passwordEnv) {}

  private static final Set<String> TOP =
      Set.of(
          "party",
          "listen",
          "tls",
          "work_dir",
          "store",
          "parties",
          "party_timeout_seconds",
          "approval_timeout_seconds",
          "metrics",
          "audit");

  /** Reads and validates {@code file}. */
  public static CoordinatorConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CoordinatorConfigException(
          file + ": no such file; write one (see docs/deployment.md) or run fedcredit demo");
    }
    Object tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
    } catch (JsonProcessingException e) {
      throw new CoordinatorConfigException(
          file
              + ":"
              + e.getLocation().getLineNr()
              + ":"
              + e.getLocation().getColumnNr()
              + ": not valid YAML: "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CoordinatorConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new CoordinatorConfigException(file + ": must be a YAML mapping of settings");
    }
    Reader r = new Reader(file);
    r.keys(map, TOP, "");
    Path base = file.toAbsolutePath().getParent();
    PartyId party = r.party(r.string(map, "party", "", "coordinator"), "party");
    Map<?, ?> listen = r.map(map, "listen", "");
    r.keys(listen, Set.of("host", "port"), "listen.");
    String host = r.string(listen, "host", "listen.", "127.0.0.1");
    int port = r.port(listen, "port", "listen.", true);
    Optional<Tls> tls = Optional.empty();
    if (map.get("tls") != null) {
      Map<?, ?> t = r.map(map, "tls", "");
      r.keys(t, Set.of("ca", "cert", "key"), "tls.");
      tls =
          Optional.of(
              new Tls(
                  r.readable(base, r.string(t, "ca", "tls.", null), "tls.ca"),
                  r.readable(base, r.string(t, "cert", "tls.", null), "tls.cert"),
                  r.readable(base, r.string(t, "key", "tls.", null), "tls.key")));
    }
    Path workDir = base.resolve(r.string(map, "work_dir", "", "work/" + party)).normalize();
    Optional<Store> store = Optional.empty();
    if (map.get("store") != null) {
      Map<?, ?> s = r.map(map, "store", "");
      r.keys(s, Set.of("url", "user", "password_env"), "store.");
      String url = r.string(s, "url", "store.", null);
      if (!url.startsWith("jdbc:")) {
        throw new CoordinatorConfigException(
            file + ": store.url '" + url + "' is not a JDBC URL (jdbc:postgresql://host:port/db)");
      }
      store =
          Optional.of(
              new Store(
                  url,
                  r.string(s, "user", "store.", ""),
                  Optional.ofNullable(r.string(s, "password_env", "store.", ""))
                      .filter(v -> !v.isEmpty())));
    }
    Object list = map.get("parties");
    if (!(list instanceof List<?> l) || l.isEmpty()) {
      throw new CoordinatorConfigException(
          file + ": parties: list the party ids that may register, e.g. [bank, tax-bureau]");
    }
    Set<PartyId> parties = new java.util.LinkedHashSet<>();
    for (Object o : l) {
      parties.add(r.party(String.valueOf(o), "parties"));
    }
    int timeout = r.integer(map, "party_timeout_seconds", "", 15, 1, 3600);
    int approval = r.integer(map, "approval_timeout_seconds", "", 600, 1, 7 * 24 * 3600);
    int metrics = 0;
    String metricsHost = "127.0.0.1";
    if (map.get("metrics") != null) {
      Map<?, ?> m = r.map(map, "metrics", "");
      r.keys(m, Set.of("port", "host"), "metrics.");
      metrics = r.port(m, "port", "metrics.", true);
      metricsHost = r.string(m, "host", "metrics.", "127.0.0.1");
    }
    Path auditKey = workDir.resolve("audit").resolve("log.key");
    String origin = "fedcredit/" + party.name();
    int webPort = 0;
    String webHost = "127.0.0.1";
    if (map.get("audit") != null) {
      Map<?, ?> a = r.map(map, "audit", "");
      r.keys(a, Set.of("key", "origin", "web"), "audit.");
      if (a.get("key") != null) {
        auditKey = base.resolve(r.string(a, "key", "audit.", null)).normalize();
      }
      origin = r.string(a, "origin", "audit.", origin);
      if (!origin.matches("[^\\s+]+")) {
        throw new CoordinatorConfigException(
            file
                + ": audit.origin: '"
                + origin
                + "' must be one word without '+' (it names the log's key), e.g. fedcredit/"
                + party.name());
      }
      if (a.get("web") != null) {
        Map<?, ?> w = r.map(a, "web", "audit.");
        r.keys(w, Set.of("port", "host"), "audit.web.");
        webPort = r.port(w, "port", "audit.web.", true);
        webHost = r.string(w, "host", "audit.web.", "127.0.0.1");
      }
    }
    return new CoordinatorConfig(
        file,
        party,
        host,
        port,
        tls,
        workDir,
        store,
        Set.copyOf(parties),
        Duration.ofSeconds(timeout),
        Duration.ofSeconds(approval),
        metrics,
        metricsHost,
        new Audit(auditKey, origin, webPort, webHost));
  }

  /** Checked reading of the YAML tree with messages that name the file and key. */
  private record Reader(Path file) {

    void keys(Map<?, ?> m, Set<String> allowed, String path) {
      Set<String> unknown = new TreeSet<>();
      for (Object k : m.keySet()) {
        if (!allowed.contains(String.valueOf(k))) {
          unknown.add(path + k);
        }
      }
      if (!unknown.isEmpty()) {
        throw new CoordinatorConfigException(
            file
                + ": unknown key "
                + String.join(", ", unknown)
                + "; allowed: "
                + new TreeSet<>(allowed));
      }
    }

    Map<?, ?> map(Map<?, ?> m, String key, String path) {
      Object v = m.get(key);
      if (!(v instanceof Map<?, ?> out)) {
        throw new CoordinatorConfigException(
            file + ": " + path + key + ": " + (v == null ? "required" : "must be a mapping"));
      }
      return out;
    }

    String string(Map<?, ?> m, String key, String path, String dflt) {
      Object v = m.get(key);
      if (v == null) {
        if (dflt == null) {
          throw new CoordinatorConfigException(file + ": " + path + key + ": required");
        }
        return dflt;
      }
      if (v instanceof Map || v instanceof List) {
        throw new CoordinatorConfigException(file + ": " + path + key + ": must be a single value");
      }
      return String.valueOf(v);
    }

    int integer(Map<?, ?> m, String key, String path, int dflt, int min, int max) {
      Object v = m.get(key);
      if (v == null) {
        return dflt;
      }
      int n;
      try {
        n = v instanceof Integer i ? i : Integer.parseInt(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        throw new CoordinatorConfigException(
            file + ": " + path + key + ": '" + v + "' is not a whole number");
      }
      if (n < min || n > max) {
        throw new CoordinatorConfigException(
            file + ": " + path + key + ": " + n + " is outside " + min + ".." + max);
      }
      return n;
    }

    int port(Map<?, ?> m, String key, String path, boolean zeroAllowed) {
      if (m.get(key) == null) {
        throw new CoordinatorConfigException(file + ": " + path + key + ": required (1-65535)");
      }
      try {
        return integer(m, key, path, 0, zeroAllowed ? 0 : 1, 65535);
      } catch (CoordinatorConfigException e) {
        throw new CoordinatorConfigException(
            file
                + ": "
                + path
                + key
                + ": '"
                + m.get(key)
                + "' is not a port (1-65535"
                + (zeroAllowed ? ", or 0 for any free port)" : ")"));
      }
    }

    PartyId party(String name, String key) {
      try {
        return PartyId.of(name);
      } catch (IllegalArgumentException e) {
        throw new CoordinatorConfigException(file + ": " + key + ": " + e.getMessage());
      }
    }

    Path readable(Path base, String p, String key) {
      Path path = base.resolve(p).normalize();
      if (!Files.isReadable(path)) {
        throw new CoordinatorConfigException(
            file
                + ": "
                + key
                + ": cannot read "
                + path
                + " (issue certificates with fedcredit certs)");
      }
      return path;
    }
  }
}
