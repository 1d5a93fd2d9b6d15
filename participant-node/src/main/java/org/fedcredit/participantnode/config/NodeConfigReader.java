package org.fedcredit.participantnode.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.config.NodeConfig.Endpoint;
import org.fedcredit.participantnode.config.NodeConfig.Metrics;
import org.fedcredit.participantnode.config.NodeConfig.Tls;
import org.fedcredit.participantnode.config.YamlTree.Mapping;
import org.fedcredit.participantnode.config.YamlTree.Node;
import org.fedcredit.participantnode.config.YamlTree.Scalar;
import org.fedcredit.participantnode.config.YamlTree.Sequence;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.data.JdbcEndpoint;
import org.fedcredit.participantnode.policy.ColumnPolicy;
import org.fedcredit.participantnode.policy.ColumnPolicy.Approval;
import org.fedcredit.participantnode.policy.ColumnPolicy.Rule;
import org.fedcredit.participantnode.policy.ConsentSource;

/**
 * Walks the YAML tree of a node configuration and builds {@link NodeConfig}, failing on the first
 * problem with a {@link NodeConfigException} that names file, line and key path.
 */
final class NodeConfigReader {

  private static final List<String> TOP =
      List.of(
          "party",
          "listen",
          "coordinator",
          "tls",
          "work_dir",
          "metrics",
          "heartbeat_seconds",
          "datasets",
          "policy",
          "consent",
          "serving",
          "coordinator_log_key");
  private static final List<String> LISTEN = List.of("host", "port");
  private static final List<String> TLS = List.of("ca", "cert", "key");
  private static final List<String> METRICS = List.of("port", "host");
  private static final List<String> DATASET = List.of("csv", "jdbc");
  private static final List<String> CSV_DATASET =
      List.of("path", "id_column", "label_column", "categorical", "exclude");
  private static final List<String> JDBC_DATASET =
      List.of(
          "url",
          "user",
          "password_env",
          "query",
          "id_column",
          "label_column",
          "categorical",
          "exclude");
  private static final List<String> POLICY = List.of("approval", "rules");
  private static final List<String> RULE = List.of("requesters", "purposes", "dataset", "columns");
  private static final List<String> CONSENT = List.of("csv", "jdbc");
  private static final List<String> CSV_CONSENT = List.of("path");
  private static final List<String> JDBC_CONSENT = List.of("url", "user", "password_env", "query");
  private static final List<String> SERVING =
      List.of(
          "model",
          "shard",
          "dataset",
          "per_column_attributions",
          "http",
          "parties",
          "timeout_ms",
          "approve_if",
          "reason_codes",
          "actionable",
          "store",
          "officer_token_env");
  private static final List<String> BANK_ONLY =
      List.of(
          "http",
          "parties",
          "timeout_ms",
          "approve_if",
          "reason_codes",
          "actionable",
          "store",
          "officer_token_env");
  private static final List<String> APPROVE_IF = List.of("max_probability_of_default", "min_score");
  private static final List<String> ACTIONABLE = List.of("direction", "min", "max", "integer");
  private static final List<String> STORE = List.of("url", "user", "password_env");
  private static final int MAX_TIMEOUT_MS = 60_000;

  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final int MAX_HEARTBEAT_SECONDS = 300;

  private final Path file;
  private final String name;
  private final Path dir;
  private final Map<String, String> env;

  NodeConfigReader(Path file, Map<String, String> env) {
    this.file = file;
    this.name = file.toString();
    this.dir = file.toAbsolutePath().normalize().getParent();
    this.env = Map.copyOf(env);
  }

  NodeConfig read() {
    Node root;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root =
          YamlTree.parse(in)
              .orElseThrow(
                  () ->
                      error(
                          0,
                          "the file is empty; see docs/node-config.md for the keys party, listen,"
                              + " coordinator, tls, datasets, policy and consent"));
    } catch (NoSuchFileException e) {
      throw error(0, "no such file; give the path of the node's YAML configuration");
    } catch (CharacterCodingException e) {
      throw error(0, "not valid UTF-8 text; save the file as UTF-8");
    } catch (IOException e) {
      throw error(0, "cannot read the file: " + e.getMessage());
    } catch (YamlTree.SyntaxException e) {
      throw error(
          e.line,
          e.yamlSyntax
              ? "not valid YAML: " + e.getMessage() + "; check the indentation and quoting"
              : e.getMessage());
    }
    if (!(root instanceof Mapping top)) {
      throw error(
          root.line(), "the top level must be a mapping of keys (" + String.join(", ", TOP) + ")");
    }
    keys(top, "the top level", TOP);

    PartyId party =
        party(require(top, "party", "", "add party: <id>, the CN of this node's certificate"));
    Endpoint listen = listen(top);
    Endpoint coordinator =
        coordinator(require(top, "coordinator", "", "add coordinator: host:port"));
    Tls tls = tls(top);
    Path workDir =
        top.get("work_dir")
            .filter(n -> !isNull(n))
            .map(n -> directory(n, "work_dir"))
            .orElse(dir.resolve("work").resolve(party.name()));
    Metrics metrics = metrics(top);
    int heartbeat =
        top.get("heartbeat_seconds")
            .filter(n -> !isNull(n))
            .map(n -> heartbeat(n))
            .orElse(NodeConfig.DEFAULT_HEARTBEAT_SECONDS);
    Map<String, DataSource> datasets = datasets(top);
    ColumnPolicy policy = policy(top, datasets);
    ConsentSource consent = consent(top);
    Optional<ServingConfig> serving = serving(top, datasets);
    Optional<NoteKeys.Verifier> logKey =
        top.get("coordinator_log_key").filter(n -> !isNull(n)).map(this::logKey);
    return new NodeConfig(
        file.toAbsolutePath().normalize(),
        party,
        listen,
        coordinator,
        tls,
        workDir,
        metrics,
        heartbeat,
        datasets,
        policy,
        consent,
        serving,
        logKey);
  }

  /** {@code coordinator_log_key}: the verifier key text itself, or a file holding it. */
  private NoteKeys.Verifier logKey(Node n) {
    String s = nonBlank(n, "coordinator_log_key");
    String text = s;
    String from = "";
    if (!s.matches("\\S+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}")) {
      Path p = readableFile(n, "coordinator_log_key");
      try {
        text = Files.readString(p).trim();
      } catch (java.io.IOException e) {
        throw error(n.line(), "coordinator_log_key: cannot read " + p + ": " + e.getMessage());
      }
      from = " in " + p;
    }
    try {
      return NoteKeys.parseVerifier(text);
    } catch (CheckpointException e) {
      throw error(
          n.line(),
          "coordinator_log_key: the key"
              + from
              + " is not a log verifier key ("
              + e.getMessage()
              + "); give the line of the coordinator's audit/log-key.pub, e.g."
              + " fedcredit/coordinator+1a2b3c4d+AW...");
    }
  }

  // ---- sections ---------------------------------------------------------------------------

  private PartyId party(Node n) {
    String s = scalar(n, "party");
    try {
      return PartyId.of(s);
    } catch (IllegalArgumentException e) {
      throw error(n.line(), "party: " + e.getMessage());
    }
  }

  private Endpoint listen(Mapping top) {
    Mapping m =
        mapping(
            require(top, "listen", "", "add listen: {host: 127.0.0.1, port: 7101}"),
            "listen",
            "{host: 127.0.0.1, port: 7101}");
    keys(m, "'listen'", LISTEN);
    String host =
        m.get("host").filter(n -> !isNull(n)).map(n -> host(n, "listen.host")).orElse("127.0.0.1");
    Node p = require(m, "port", "listen.", "add port: 7101 (0 = an ephemeral port)");
    int port = integer(p, "listen.port");
    if (port < 0 || port > 65535) {
      throw error(
          p.line(),
          "listen.port: " + port + " is not a port; use 1-65535, or 0 for an ephemeral port");
    }
    return new Endpoint(host, port);
  }

  private Endpoint coordinator(Node n) {
    String s = scalar(n, "coordinator").strip();
    String host;
    String port;
    if (s.startsWith("[") && s.contains("]:")) {
      host = s.substring(1, s.indexOf("]:"));
      port = s.substring(s.indexOf("]:") + 2);
    } else {
      int k = s.lastIndexOf(':');
      host = k < 0 ? "" : s.substring(0, k);
      port = k < 0 ? "" : s.substring(k + 1);
    }
    if (host.isEmpty() || host.contains(" ") || !port.matches("[0-9]{1,5}")) {
      throw error(
          n.line(),
          "coordinator: '" + s + "' is not host:port; write e.g. coordinator: 127.0.0.1:7100");
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw error(n.line(), "coordinator: port " + p + " is not a port; use 1-65535");
    }
    return new Endpoint(host, p);
  }

  private Tls tls(Mapping top) {
    Mapping m =
        mapping(
            require(top, "tls", "", "add tls: {ca: ..., cert: ..., key: ...} (PEM files)"),
            "tls",
            "{ca: certs/ca.crt, cert: certs/node.crt, key: certs/node.key}");
    keys(m, "'tls'", TLS);
    Path[] paths = new Path[TLS.size()];
    for (int i = 0; i < paths.length; i++) {
      String k = TLS.get(i);
      paths[i] =
          readableFile(
              require(m, k, "tls.", "add " + k + ": <PEM file> (fedcredit certs issues it)"),
              "tls." + k);
    }
    return new Tls(paths[0], paths[1], paths[2]);
  }

  private Metrics metrics(Mapping top) {
    Optional<Node> n = top.get("metrics").filter(x -> !isNull(x));
    if (n.isEmpty()) {
      return new Metrics(0, "127.0.0.1");
    }
    Mapping m = mapping(n.get(), "metrics", "{port: 9101}");
    keys(m, "'metrics'", METRICS);
    Optional<Node> p = m.get("port").filter(x -> !isNull(x));
    String host =
        m.get("host").filter(x -> !isNull(x)).map(h -> host(h, "metrics.host")).orElse("127.0.0.1");
    if (p.isEmpty()) {
      return new Metrics(0, host);
    }
    int port = integer(p.get(), "metrics.port");
    if (port < 0 || port > 65535) {
      throw error(
          p.get().line(), "metrics.port: " + port + " is not a port; use 1-65535, or 0 for off");
    }
    return new Metrics(port, host);
  }

  private int heartbeat(Node n) {
    int s = integer(n, "heartbeat_seconds");
    if (s < 1 || s > MAX_HEARTBEAT_SECONDS) {
      throw error(
          n.line(), "heartbeat_seconds: " + s + " is out of range; use 1-" + MAX_HEARTBEAT_SECONDS);
    }
    return s;
  }

  private Map<String, DataSource> datasets(Mapping top) {
    Mapping m =
        mapping(
            require(top, "datasets", "", "add datasets: {<alias>: {csv: {path: ...}}}"),
            "datasets",
            "{invoices: {csv: {path: data/tax.csv}}}");
    if (m.entries().isEmpty()) {
      throw error(
          m.line(),
          "datasets: define at least one dataset, e.g. invoices: {csv: {path: data/tax.csv}}");
    }
    Map<String, DataSource> out = new LinkedHashMap<>();
    for (var e : m.entries().entrySet()) {
      String alias = e.getKey();
      int keyLine = m.keyLines().get(alias);
      String path = "datasets." + alias;
      if (!ALIAS.matcher(alias).matches()) {
        throw error(
            keyLine,
            path
                + ": '"
                + alias
                + "' is not a dataset alias; use 1-64 letters, digits, '.', '-' or '_', starting"
                + " with a letter or digit");
      }
      if (isNull(e.getValue())) {
        throw error(
            keyLine,
            path + ": has no value; give csv: {path: ...} or jdbc: {url: ..., query: ...}");
      }
      Mapping d = mapping(e.getValue(), path, "{csv: {path: data/tax.csv}}");
      keys(d, "'" + path + "'", DATASET);
      out.put(alias, dataset(alias, d, path));
    }
    return out;
  }

  private DataSource dataset(String alias, Mapping d, String path) {
    Node csv = d.get("csv").filter(n -> !isNull(n)).orElse(null);
    Node jdbc = d.get("jdbc").filter(n -> !isNull(n)).orElse(null);
    if (csv != null && jdbc != null) {
      throw error(
          d.keyLines().get("jdbc"),
          path + ": give either csv or jdbc, not both; keep the one the node should read");
    }
    if (csv == null && jdbc == null) {
      throw error(d.line(), path + ": give csv: {path: ...} or jdbc: {url: ..., query: ...}");
    }
    if (csv != null) {
      String where = path + ".csv";
      Mapping c = mapping(csv, where, "{path: data/tax.csv, id_column: id}");
      keys(c, "'" + where + "'", CSV_DATASET);
      Path p =
          readableFile(require(c, "path", where + ".", "add path: <CSV file>"), where + ".path");
      return new DataSource.CsvSource(alias, p, columnSpec(c, where));
    }
    String where = path + ".jdbc";
    Mapping j = mapping(jdbc, where, "{url: jdbc:postgresql://host:5432/db, query: select ...}");
    keys(j, "'" + where + "'", JDBC_DATASET);
    JdbcEndpoint endpoint = endpoint(j, where);
    String query = query(j, where);
    return new DataSource.JdbcSource(alias, endpoint, query, columnSpec(j, where));
  }

  private CsvDataSource.Spec columnSpec(Mapping m, String where) {
    String id =
        m.get("id_column")
            .filter(n -> !isNull(n))
            .map(n -> nonBlank(n, where + ".id_column"))
            .orElse("id");
    Optional<String> label =
        m.get("label_column")
            .filter(n -> !isNull(n))
            .map(n -> nonBlank(n, where + ".label_column"));
    Set<String> categorical = new LinkedHashSet<>(strings(m, "categorical", where));
    Set<String> exclude = new LinkedHashSet<>(strings(m, "exclude", where));
    if (label.isPresent() && label.get().equals(id)) {
      throw error(
          m.keyLines().get("label_column"),
          where + ".label_column: '" + id + "' is also the id column; name the 0/1 label column");
    }
    return new CsvDataSource.Spec(id, label, exclude, categorical);
  }

  private JdbcEndpoint endpoint(Mapping j, String where) {
    Node u = require(j, "url", where + ".", "add url: jdbc:postgresql://host:5432/db");
    String url = scalar(u, where + ".url").strip();
    if (!url.startsWith("jdbc:")) {
      throw error(
          u.line(),
          where
              + ".url: '"
              + url
              + "' is not a JDBC URL; write e.g. jdbc:postgresql://127.0.0.1:5432/test");
    }
    Optional<String> user =
        j.get("user").filter(n -> !isNull(n)).map(n -> nonBlank(n, where + ".user"));
    Optional<String> password = Optional.empty();
    Optional<Node> pe = j.get("password_env").filter(n -> !isNull(n));
    if (pe.isPresent()) {
      String var = scalar(pe.get(), where + ".password_env");
      if (!ENV_NAME.matcher(var).matches()) {
        throw error(
            pe.get().line(),
            where
                + ".password_env: '"
                + var
                + "' is not an environment variable name; give the variable's name (e.g. PGPASSWORD),"
                + " never the password itself");
      }
      String value = env.get(var);
      if (value == null) {
        throw error(
            pe.get().line(),
            where
                + ".password_env: the environment variable "
                + var
                + " is not set; export it before starting the node");
      }
      password = Optional.of(value);
    }
    return new JdbcEndpoint(url, user, password);
  }

  private String query(Mapping j, String where) {
    return nonBlank(require(j, "query", where + ".", "add query: select ..."), where + ".query");
  }

  private ColumnPolicy policy(Mapping top, Map<String, DataSource> datasets) {
    Optional<Node> n = top.get("policy").filter(x -> !isNull(x));
    if (n.isEmpty()) {
      return new ColumnPolicy(Approval.MANUAL, List.of());
    }
    Mapping m = mapping(n.get(), "policy", "{approval: manual, rules: [...]}");
    keys(m, "'policy'", POLICY);
    Approval approval = Approval.MANUAL;
    Optional<Node> a = m.get("approval").filter(x -> !isNull(x));
    if (a.isPresent()) {
      String s = scalar(a.get(), "policy.approval");
      switch (s) {
        case "auto":
          approval = Approval.AUTO;
          break;
        case "manual":
          approval = Approval.MANUAL;
          break;
        default:
          throw error(a.get().line(), "policy.approval: '" + s + "' is not one of auto, manual");
      }
    }
    List<Rule> rules = new ArrayList<>();
    Optional<Node> r = m.get("rules").filter(x -> !isNull(x));
    if (r.isPresent()) {
      if (!(r.get() instanceof Sequence seq)) {
        throw error(
            r.get().line(),
            "policy.rules: must be a list of rules, each '- {requesters: [...], purposes: [...], dataset: ..., columns: [...]}'");
      }
      for (int i = 0; i < seq.items().size(); i++) {
        rules.add(rule(seq.items().get(i), "policy.rules #" + (i + 1), datasets));
      }
    }
    return new ColumnPolicy(approval, rules);
  }

  private Rule rule(Node n, String where, Map<String, DataSource> datasets) {
    Mapping m =
        mapping(
            n,
            where,
            "{requesters: [bank], purposes: [credit-scoring], dataset: invoices, columns: [x0]}");
    keys(m, "'" + where + "'", RULE);
    Node reqNode = require(m, "requesters", where + ".", "add requesters: [<party id>, ...]");
    List<String> req = nonEmptyStrings(m, "requesters", where, "the party ids allowed to request");
    Set<PartyId> requesters = new LinkedHashSet<>();
    for (String s : req) {
      try {
        requesters.add(PartyId.of(s));
      } catch (IllegalArgumentException e) {
        throw error(reqNode.line(), where + ".requesters: " + e.getMessage());
      }
    }
    require(m, "purposes", where + ".", "add purposes: [credit-scoring, ...]");
    List<String> purposes =
        nonEmptyStrings(m, "purposes", where, "the purposes, e.g. credit-scoring");
    Node dn = require(m, "dataset", where + ".", "add dataset: <alias under datasets>");
    String dataset = scalar(dn, where + ".dataset");
    if (!datasets.containsKey(dataset)) {
      throw error(
          dn.line(),
          where
              + ".dataset: '"
              + dataset
              + "' is not defined under datasets; defined: "
              + String.join(", ", datasets.keySet()));
    }
    Node cn = require(m, "columns", where + ".", "add columns: [<column>, ...] or ['*'] for all");
    List<String> columns =
        nonEmptyStrings(m, "columns", where, "the allowed columns, or '*' for all");
    if (columns.contains(ColumnPolicy.ALL_COLUMNS) && columns.size() > 1) {
      throw error(
          cn.line(),
          where + ".columns: '*' allows every column; give either '*' alone or the column names");
    }
    return new Rule(
        requesters, new LinkedHashSet<>(purposes), dataset, new LinkedHashSet<>(columns));
  }

  private ConsentSource consent(Mapping top) {
    Mapping m =
        mapping(
            require(
                top,
                "consent",
                "",
                "add consent: {csv: {path: ...}} or {jdbc: {url: ..., query: ...}}; rows without"
                    + " consent never enter PSI"),
            "consent",
            "{csv: {path: data/consent.csv}}");
    keys(m, "'consent'", CONSENT);
    Node csv = m.get("csv").filter(n -> !isNull(n)).orElse(null);
    Node jdbc = m.get("jdbc").filter(n -> !isNull(n)).orElse(null);
    if (csv != null && jdbc != null) {
      throw error(
          m.keyLines().get("jdbc"),
          "consent: give either csv or jdbc, not both; keep the one the node should read");
    }
    if (csv == null && jdbc == null) {
      throw error(m.line(), "consent: give csv: {path: ...} or jdbc: {url: ..., query: ...}");
    }
    if (csv != null) {
      Mapping c = mapping(csv, "consent.csv", "{path: data/consent.csv}");
      keys(c, "'consent.csv'", CSV_CONSENT);
      return new ConsentSource.Csv(
          readableFile(
              require(
                  c,
                  "path",
                  "consent.csv.",
                  "add path: <CSV file with enterprise_id,scope,expires>"),
              "consent.csv.path"));
    }
    Mapping j =
        mapping(jdbc, "consent.jdbc", "{url: jdbc:postgresql://host:5432/db, query: select ...}");
    keys(j, "'consent.jdbc'", JDBC_CONSENT);
    return new ConsentSource.Jdbc(endpoint(j, "consent.jdbc"), query(j, "consent.jdbc"));
  }

  private Optional<ServingConfig> serving(Mapping top, Map<String, DataSource> datasets) {
    Optional<Node> n = top.get("serving").filter(x -> !isNull(x));
    if (n.isEmpty()) {
      return Optional.empty();
    }
    Mapping m = mapping(n.get(), "serving", "{model: <job id>, ...} (docs/node-config.md)");
    keys(m, "'serving'", SERVING);
    String model =
        nonBlank(
            require(m, "model", "serving.", "add model: <job id of the published model>"),
            "serving.model");
    Optional<Path> shard =
        m.get("shard").filter(x -> !isNull(x)).map(x -> readableFile(x, "serving.shard"));
    Optional<String> dataset = Optional.empty();
    Optional<Node> d = m.get("dataset").filter(x -> !isNull(x));
    if (d.isPresent()) {
      String alias = nonBlank(d.get(), "serving.dataset");
      if (!datasets.containsKey(alias)) {
        throw error(
            d.get().line(),
            "serving.dataset: no dataset '"
                + alias
                + "' under datasets; use one of "
                + datasets.keySet());
      }
      dataset = Optional.of(alias);
    }
    List<String> perColumn = strings(m, "per_column_attributions", "serving");
    boolean bank = m.get("http").isPresent();
    if (!bank) {
      for (String k : BANK_ONLY) {
        if (m.get(k).isPresent()) {
          throw error(
              m.keyLines().get(k),
              "serving."
                  + k
                  + ": is for the bank's decision API, which needs serving.http {host, port};"
                  + " add http on the bank's node or remove "
                  + k);
        }
      }
      return Optional.of(new ServingConfig(model, shard, dataset, perColumn, Optional.empty()));
    }
    Mapping h = mapping(m.get("http").get(), "serving.http", "{host: 127.0.0.1, port: 8080}");
    keys(h, "'serving.http'", LISTEN);
    String host =
        h.get("host")
            .filter(x -> !isNull(x))
            .map(x -> host(x, "serving.http.host"))
            .orElse("127.0.0.1");
    Node hp = require(h, "port", "serving.http.", "add port: 8080 (0 = an ephemeral port)");
    int port = integer(hp, "serving.http.port");
    if (port < 0 || port > 65535) {
      throw error(hp.line(), "serving.http.port: " + port + " is not a port; use 0-65535");
    }
    Mapping ps =
        mapping(
            require(
                m,
                "parties",
                "serving.",
                "add parties: {<feature party>: host:port} (the feature parties' node addresses)"),
            "serving.parties",
            "{tax-bureau: 127.0.0.1:7101}");
    Map<String, Endpoint> parties = new LinkedHashMap<>();
    for (var e : ps.entries().entrySet()) {
      parties.put(e.getKey(), coordinatorLike(e.getValue(), "serving.parties." + e.getKey()));
    }
    int timeoutMs = ServingConfig.DEFAULT_TIMEOUT_MS;
    Optional<Node> t = m.get("timeout_ms").filter(x -> !isNull(x));
    if (t.isPresent()) {
      timeoutMs = integer(t.get(), "serving.timeout_ms");
      if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
        throw error(
            t.get().line(),
            "serving.timeout_ms: " + timeoutMs + " is out of range; use 1-" + MAX_TIMEOUT_MS);
      }
    }
    Mapping a =
        mapping(
            require(
                m,
                "approve_if",
                "serving.",
                "add approve_if: {max_probability_of_default: 0.2} or {min_score: 560}"),
            "serving.approve_if",
            "{max_probability_of_default: 0.2}");
    keys(a, "'serving.approve_if'", APPROVE_IF);
    Optional<Double> maxPd =
        a.get("max_probability_of_default")
            .filter(x -> !isNull(x))
            .map(x -> number(x, "serving.approve_if.max_probability_of_default"));
    Optional<Double> minScore =
        a.get("min_score")
            .filter(x -> !isNull(x))
            .map(x -> number(x, "serving.approve_if.min_score"));
    if (maxPd.isPresent() == minScore.isPresent()) {
      throw error(
          a.line(),
          "serving.approve_if: give exactly one of max_probability_of_default (0-1) and min_score");
    }
    if (maxPd.isPresent() && !(maxPd.get() > 0 && maxPd.get() < 1)) {
      throw error(
          a.keyLines().get("max_probability_of_default"),
          "serving.approve_if.max_probability_of_default: "
              + maxPd.get()
              + " must be between 0 and 1 (exclusive)");
    }
    Node rc =
        require(
            m,
            "reason_codes",
            "serving.",
            "add reason_codes: <catalogue YAML> or builtin:default-credit / builtin:sme");
    String reasonCodes = nonBlank(rc, "serving.reason_codes");
    if (!reasonCodes.startsWith("builtin:")) {
      reasonCodes = readableFile(rc, "serving.reason_codes").toString();
    }
    Map<String, ServingConfig.Actionable> actionable = new LinkedHashMap<>();
    Optional<Node> an = m.get("actionable").filter(x -> !isNull(x));
    if (an.isPresent()) {
      Mapping am = mapping(an.get(), "serving.actionable", "{<column>: {direction: up, min: 0}}");
      for (var e : am.entries().entrySet()) {
        String where = "serving.actionable." + e.getKey();
        Mapping c =
            mapping(e.getValue(), where, "{direction: up, min: 0, max: 100, integer: true}");
        keys(c, "'" + where + "'", ACTIONABLE);
        ServingConfig.Direction dir = ServingConfig.Direction.BOTH;
        Optional<Node> dn = c.get("direction").filter(x -> !isNull(x));
        if (dn.isPresent()) {
          String v = nonBlank(dn.get(), where + ".direction");
          dir =
              switch (v) {
                case "up" -> ServingConfig.Direction.UP;
                case "down" -> ServingConfig.Direction.DOWN;
                case "both" -> ServingConfig.Direction.BOTH;
                default ->
                    throw error(
                        dn.get().line(),
                        where + ".direction: '" + v + "' must be up, down or both");
              };
        }
        Optional<Double> min =
            c.get("min").filter(x -> !isNull(x)).map(x -> number(x, where + ".min"));
        Optional<Double> max =
            c.get("max").filter(x -> !isNull(x)).map(x -> number(x, where + ".max"));
        if (min.isPresent() && max.isPresent() && !(min.get() < max.get())) {
          throw error(c.line(), where + ": min " + min.get() + " must be below max " + max.get());
        }
        boolean integer = false;
        Optional<Node> in = c.get("integer").filter(x -> !isNull(x));
        if (in.isPresent()) {
          String v = nonBlank(in.get(), where + ".integer");
          if (!v.equals("true") && !v.equals("false")) {
            throw error(in.get().line(), where + ".integer: '" + v + "' must be true or false");
          }
          integer = v.equals("true");
        }
        actionable.put(e.getKey(), new ServingConfig.Actionable(dir, min, max, integer));
      }
    }
    Optional<JdbcEndpoint> store = Optional.empty();
    Optional<Node> sn = m.get("store").filter(x -> !isNull(x));
    if (sn.isPresent()) {
      Mapping sm =
          mapping(sn.get(), "serving.store", "{url: jdbc:postgresql://127.0.0.1:5432/bank}");
      keys(sm, "'serving.store'", STORE);
      store = Optional.of(endpoint(sm, "serving.store"));
    }
    Optional<String> officerToken = Optional.empty();
    Optional<Node> on = m.get("officer_token_env").filter(x -> !isNull(x));
    if (on.isPresent()) {
      String var = scalar(on.get(), "serving.officer_token_env");
      if (!ENV_NAME.matcher(var).matches()) {
        throw error(
            on.get().line(),
            "serving.officer_token_env: '"
                + var
                + "' is not an environment variable name; give the variable's name, never the"
                + " token itself");
      }
      String value = env.get(var);
      if (value == null || value.length() < 16) {
        throw error(
            on.get().line(),
            "serving.officer_token_env: the environment variable "
                + var
                + (value == null ? " is not set" : " holds fewer than 16 characters")
                + "; export a long random token (e.g. openssl rand -hex 24) before starting the"
                + " node");
      }
      officerToken = Optional.of(value);
    }
    ServingConfig.Bank b =
        new ServingConfig.Bank(
            new Endpoint(host, port),
            parties,
            java.time.Duration.ofMillis(timeoutMs),
            new ServingConfig.DecisionRule(maxPd, minScore),
            reasonCodes,
            actionable,
            store,
            officerToken);
    return Optional.of(new ServingConfig(model, shard, dataset, perColumn, Optional.of(b)));
  }

  private double number(Node n, String path) {
    String s = scalar(n, path).strip();
    try {
      double v = Double.parseDouble(s);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw error(n.line(), path + ": '" + s + "' is not a finite number");
  }

  private Endpoint coordinatorLike(Node n, String path) {
    String s = scalar(n, path).strip();
    int k = s.lastIndexOf(':');
    String host = k < 0 ? "" : s.substring(0, k);
    String port = k < 0 ? "" : s.substring(k + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || host.contains(" ") || !port.matches("[0-9]{1,5}")) {
      throw error(n.line(), path + ": '" + s + "' is not host:port; write e.g. 127.0.0.1:7101");
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw error(n.line(), path + ": port " + p + " is not a port; use 1-65535");
    }
    return new Endpoint(host, p);
  }

  // ---- values -----------------------------------------------------------------------------

  private static boolean isNull(Node n) {
    return n instanceof Scalar s && s.isNull();
  }

  private Node require(Mapping m, String key, String prefix, String hint) {
    Optional<Node> n = m.get(key);
    if (n.isEmpty()) {
      String where =
          prefix.isEmpty()
              ? "at the top level"
              : "under '" + prefix.substring(0, prefix.length() - 1) + "'";
      throw error(m.line(), "missing key '" + key + "' " + where + "; " + hint);
    }
    if (isNull(n.get())) {
      throw error(m.keyLines().get(key), prefix + key + ": has no value; " + hint);
    }
    return n.get();
  }

  private Mapping mapping(Node n, String path, String example) {
    if (n instanceof Mapping m) {
      return m;
    }
    throw error(n.line(), path + ": must be a mapping like " + example);
  }

  private String scalar(Node n, String path) {
    if (n instanceof Scalar s && !s.isNull()) {
      return s.text();
    }
    throw error(
        n.line(),
        path
            + ": must be a single value, not a "
            + (n instanceof Mapping ? "mapping" : n instanceof Sequence ? "list" : "null"));
  }

  private String nonBlank(Node n, String path) {
    String s = scalar(n, path).strip();
    if (s.isEmpty()) {
      throw error(n.line(), path + ": is empty; give a value");
    }
    return s;
  }

  private String host(Node n, String path) {
    String s = nonBlank(n, path);
    if (s.contains(" ") || s.contains("/")) {
      throw error(n.line(), path + ": '" + s + "' is not a host name or IP address");
    }
    return s;
  }

  private int integer(Node n, String path) {
    String s = scalar(n, path).strip();
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw error(n.line(), path + ": '" + s + "' is not a whole number");
    }
  }

  private List<String> strings(Mapping m, String key, String where) {
    Optional<Node> n = m.get(key).filter(x -> !isNull(x));
    if (n.isEmpty()) {
      return List.of();
    }
    if (!(n.get() instanceof Sequence seq)) {
      throw error(n.get().line(), where + "." + key + ": must be a list like [a, b]");
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.items()) {
      String s = nonBlank(item, where + "." + key);
      if (out.contains(s)) {
        throw error(item.line(), where + "." + key + ": '" + s + "' is listed twice");
      }
      out.add(s);
    }
    return out;
  }

  private List<String> nonEmptyStrings(Mapping m, String key, String where, String what) {
    List<String> out = strings(m, key, where);
    if (out.isEmpty()) {
      throw error(m.keyLines().get(key), where + "." + key + ": is empty; list " + what);
    }
    return out;
  }

  private Path resolve(Node n, String path) {
    String s = nonBlank(n, path);
    try {
      return dir.resolve(s).normalize();
    } catch (InvalidPathException e) {
      throw error(n.line(), path + ": '" + s + "' is not a valid path");
    }
  }

  private Path readableFile(Node n, String path) {
    Path p = resolve(n, path);
    if (!Files.exists(p)) {
      throw error(
          n.line(),
          path + ": " + p + " does not exist; fix the path (relative paths start at " + dir + ")");
    }
    if (!Files.isRegularFile(p)) {
      throw error(n.line(), path + ": " + p + " is not a regular file");
    }
    if (!Files.isReadable(p)) {
      throw error(
          n.line(), path + ": " + p + " is not readable by this user; check its permissions");
    }
    return p;
  }

  private Path directory(Node n, String path) {
    Path p = resolve(n, path);
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw error(n.line(), path + ": " + p + " exists and is not a directory; name a directory");
    }
    if (Files.isDirectory(p) && !Files.isWritable(p)) {
      throw error(
          n.line(), path + ": " + p + " is not writable by this user; check its permissions");
    }
    return p;
  }

  private void keys(Mapping m, String where, List<String> allowed) {
    for (var e : m.keyLines().entrySet()) {
      String k = e.getKey();
      if (!allowed.contains(k)) {
        String hint = closest(k, allowed).map(c -> "; did you mean '" + c + "'?").orElse("");
        throw error(
            e.getValue(),
            "unknown key '"
                + k
                + "' under "
                + where
                + "; allowed: "
                + String.join(", ", allowed)
                + hint);
      }
    }
  }

  /** The allowed key within edit distance 2 of {@code key}, if exactly one is closest. */
  private static Optional<String> closest(String key, List<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : allowed) {
      int d = distance(key, a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private NodeConfigException error(int line, String message) {
    return new NodeConfigException(name, line, message);
  }
}
