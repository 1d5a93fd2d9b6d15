package org.fedcredit.participantnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.policy.ColumnPolicy;
import org.fedcredit.participantnode.policy.ColumnPolicy.Approval;
import org.fedcredit.participantnode.policy.ConsentRegistry;
import org.fedcredit.participantnode.policy.ConsentSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  static final Map<String, String> ENV = Map.of("PG_TEST_PASSWORD", "s3cret");

  /** A valid configuration; tests replace single lines, so the line numbers below matter. */
  static final List<String> VALID =
      List.of(
          "party: tax-bureau", // 1
          "listen: {host: 127.0.0.1, port: 7101}", // 2
          "coordinator: 127.0.0.1:7100", // 3
          "tls: {ca: certs/ca.crt, cert: certs/tax-bureau.crt, key: certs/tax-bureau.key}", // 4
          "work_dir: work/tax-bureau", // 5
          "metrics: {port: 9101}", // 6
          "heartbeat_seconds: 2", // 7
          "datasets:", // 8
          "  invoices: {csv: {path: data/tax.csv, id_column: id, categorical: [industry]}}", // 9
          "  power:", // 10
          "    jdbc:", // 11
          "      url: jdbc:postgresql://127.0.0.1:5432/test", // 12
          "      user: postgres", // 13
          "      password_env: PG_TEST_PASSWORD", // 14
          "      query: select id, kwh from power", // 15
          "policy:", // 16
          "  approval: auto", // 17
          "  rules:", // 18
          "    - requesters: [bank]", // 19
          "      purposes: [credit-scoring]", // 20
          "      dataset: invoices", // 21
          "      columns: [vat_m1, vat_m2]", // 22
          "consent:", // 23
          "  csv: {path: data/tax_consent.csv}"); // 24

  static final String ALLOWED_TOP =
      "party, listen, coordinator, tls, work_dir, metrics, heartbeat_seconds, datasets, policy,"
          + " consent, serving, coordinator_log_key";

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void files() throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("data"));
    for (String f : List.of("certs/ca.crt", "certs/tax-bureau.crt", "certs/tax-bureau.key")) {
      Files.writeString(dir.resolve(f), "-----BEGIN PLACEHOLDER-----\n");
    }
    Files.writeString(
        dir.resolve("data/tax.csv"), "id,vat_m1,vat_m2,industry\ne1,1,2,retail\ne2,3,,agri\n");
    Files.writeString(
        dir.resolve("data/tax_consent.csv"),
        "enterprise_id,scope,expires\ne1,credit-scoring,2030-01-01\n");
    config = dir.resolve("node.yaml");
  }

  NodeConfig load(List<String> lines) throws Exception {
    Files.writeString(config, String.join("\n", lines) + "\n");
    return NodeConfig.load(config, ENV);
  }

  /** VALID with line {@code line} (1-based) replaced; an empty replacement removes it. */
  static List<String> with(int line, String replacement) {
    List<String> out = new ArrayList<>(VALID);
    if (replacement.isEmpty()) {
      out.remove(line - 1);
    } else {
      out.set(line - 1, replacement);
    }
    return out;
  }

  void assertError(List<String> lines, String expected) {
    assertThatThrownBy(() -> load(lines))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage(config + expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void readsEveryKeyAndResolvesPathsAgainstTheConfigDirectory() throws Exception {
    NodeConfig c = load(VALID);
    assertThat(c.file()).isEqualTo(config.toAbsolutePath().normalize());
    assertThat(c.party()).isEqualTo(PartyId.of("tax-bureau"));
    assertThat(c.listen()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 7101));
    assertThat(c.coordinator()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 7100));
    assertThat(c.tls().cert()).isEqualTo(dir.resolve("certs/tax-bureau.crt"));
    assertThat(c.tls().key()).isEqualTo(dir.resolve("certs/tax-bureau.key"));
    assertThat(c.tls().ca()).isEqualTo(dir.resolve("certs/ca.crt"));
    assertThat(c.workDir()).isEqualTo(dir.resolve("work/tax-bureau"));
    assertThat(c.metrics().port()).isEqualTo(9101);
    assertThat(c.heartbeatSeconds()).isEqualTo(2);
    assertThat(c.datasets().keySet()).containsExactly("invoices", "power");

    DataSource.CsvSource invoices = (DataSource.CsvSource) c.datasets().get("invoices");
    assertThat(invoices.file()).isEqualTo(dir.resolve("data/tax.csv"));
    assertThat(invoices.spec())
        .isEqualTo(new CsvDataSource.Spec("id", Optional.empty(), Set.of(), Set.of("industry")));
    assertThat(invoices.load().featureNames())
        .containsExactly("vat_m1", "vat_m2", "industry=agri", "industry=retail");

    DataSource.JdbcSource power = (DataSource.JdbcSource) c.datasets().get("power");
    assertThat(power.endpoint().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    assertThat(power.endpoint().user()).contains("postgres");
    assertThat(power.endpoint().password()).contains("s3cret");
    assertThat(power.query()).isEqualTo("select id, kwh from power");
    assertThat(c.toString()).doesNotContain("s3cret");

    ColumnPolicy policy = c.policy();
    assertThat(policy.approval()).isEqualTo(Approval.AUTO);
    assertThat(policy.evaluate(PartyId.of("bank"), "credit-scoring", "invoices", List.of("vat_m1")))
        .isEqualTo(new ColumnPolicy.Accepted(Approval.AUTO));
    assertThat(policy.evaluate(PartyId.of("bank"), "credit-scoring", "invoices", List.of("x")))
        .isInstanceOf(ColumnPolicy.Rejected.class);

    assertThat(c.consent()).isEqualTo(new ConsentSource.Csv(dir.resolve("data/tax_consent.csv")));
    assertThat(
            ConsentRegistry.load(c.consent())
                .permits("e1", "credit-scoring", LocalDate.of(2029, 1, 1)))
        .isTrue();
  }

  @Test
  void defaultsForOptionalKeys() throws Exception {
    NodeConfig c =
        load(
            List.of(
                "party: utility",
                "listen: {port: 0}",
                "coordinator: coordinator.example:7100",
                "tls: {ca: certs/ca.crt, cert: certs/tax-bureau.crt, key: certs/tax-bureau.key}",
                "datasets:",
                "  power: {csv: {path: data/tax.csv, label_column: y}}",
                "consent: {csv: {path: data/tax_consent.csv}}"));
    assertThat(c.listen()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 0));
    assertThat(c.coordinator().host()).isEqualTo("coordinator.example");
    assertThat(c.workDir()).isEqualTo(dir.resolve("work/utility"));
    assertThat(c.metrics().enabled()).isFalse();
    assertThat(c.heartbeatSeconds()).isEqualTo(NodeConfig.DEFAULT_HEARTBEAT_SECONDS);
    assertThat(c.datasets().get("power").spec()).isEqualTo(CsvDataSource.Spec.labelled("id", "y"));
    assertThat(c.policy().approval()).isEqualTo(Approval.MANUAL);
    assertThat(c.policy().rules()).isEmpty();
  }

  @Test
  void theCoordinatorsLogKeyIsGivenAsTextOrAsAFile() throws Exception {
    NoteKeys.Verifier key = NoteKeys.generate("fedcredit/coordinator").verifier();
    List<String> lines = new ArrayList<>(VALID);
    lines.add("coordinator_log_key: " + key.encode());
    assertThat(load(lines).coordinatorLogKey().map(NoteKeys.Verifier::encode))
        .contains(key.encode());

    Files.writeString(dir.resolve("certs/log.pub"), key.encode() + "\n");
    lines.set(lines.size() - 1, "coordinator_log_key: certs/log.pub");
    assertThat(load(lines).coordinatorLogKey().map(NoteKeys.Verifier::encode))
        .contains(key.encode());

    assertThat(load(VALID).coordinatorLogKey()).isEmpty();
    Files.writeString(dir.resolve("certs/log.pub"), "not a key\n");
    assertThatThrownBy(() -> load(lines))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining(":" + lines.size() + ": coordinator_log_key: the key in ")
        .hasMessageContaining("is not a log verifier key");
    lines.set(lines.size() - 1, "coordinator_log_key: certs/missing.pub");
    assertThatThrownBy(() -> load(lines)).hasMessageContaining("missing.pub does not exist");
  }

  @Test
  void relativePathsStartAtTheConfigFileNotTheWorkingDirectory() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf"));
    List<String> lines = new ArrayList<>(VALID);
    lines.replaceAll(l -> l.replace("certs/", "../certs/").replace("data/", "../data/"));
    Path file = sub.resolve("node.yaml");
    Files.writeString(file, String.join("\n", lines));
    NodeConfig c = NodeConfig.load(file, ENV);
    assertThat(c.tls().ca()).isEqualTo(dir.resolve("certs/ca.crt"));
    assertThat(c.workDir()).isEqualTo(sub.resolve("work/tax-bureau"));
  }

  @Test
  void missingEmptyAndMalformedFiles() throws Exception {
    Path none = dir.resolve("none.yaml");
    assertThatThrownBy(() -> NodeConfig.load(none, ENV))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage(none + ": no such file; give the path of the node's YAML configuration");
    assertError(
        List.of(""),
        ": the file is empty; see docs/node-config.md for the keys party,"
            + " listen, coordinator, tls, datasets, policy and consent");
    assertError(
        List.of("just text"), ":1: the top level must be a mapping of keys (" + ALLOWED_TOP + ")");
    assertThatThrownBy(() -> load(with(3, "coordinator: [127.0.0.1")))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith(config + ":4: not valid YAML: ")
        .hasMessageEndingWith("; check the indentation and quoting")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> load(with(5, "  work_dir: x")))
        .hasMessageStartingWith(config + ":5: not valid YAML: ");
    assertError(
        with(7, "party: bank"),
        ":7: key 'party' is given twice in this mapping (first on line 1); keep one");
  }

  @Test
  void unknownKeysAreNamedWithTheAllowedOnes() throws Exception {
    assertError(
        with(2, "listn: {host: 127.0.0.1, port: 7101}"),
        ":2: unknown key 'listn' under the top level; allowed: "
            + ALLOWED_TOP
            + "; did you mean 'listen'?");
    assertError(
        with(2, "listen: {host: 127.0.0.1, prot: 7101}"),
        ":2: unknown key 'prot' under 'listen'; allowed: host, port; did you mean 'port'?");
    assertError(
        with(9, "  invoices: {csv: {path: data/tax.csv, id_col: id}}"),
        ":9: unknown key 'id_col' under 'datasets.invoices.csv'; allowed: path, id_column,"
            + " label_column, categorical, exclude");
    assertError(
        with(20, "      purpose: [credit-scoring]"),
        ":20: unknown key 'purpose' under 'policy.rules #1'; allowed: requesters, purposes,"
            + " dataset, columns; did you mean 'purposes'?");
    assertError(
        with(24, "  sql: {path: data/tax_consent.csv}"),
        ":24: unknown key 'sql' under 'consent'; allowed: csv, jdbc");
  }

  @Test
  void portsMustBePortsAndTheCoordinatorHostPort() throws Exception {
    assertError(
        with(2, "listen: {host: 127.0.0.1, port: 70000}"),
        ":2: listen.port: 70000 is not a port; use 1-65535, or 0 for an ephemeral port");
    assertError(
        with(2, "listen: {host: 127.0.0.1, port: -1}"),
        ":2: listen.port: -1 is not a port; use 1-65535, or 0 for an ephemeral port");
    assertError(
        with(2, "listen: {host: 127.0.0.1, port: http}"),
        ":2: listen.port: 'http' is not a whole number");
    assertError(
        with(2, "listen: {host: 127.0.0.1}"),
        ":2: missing key 'port' under 'listen'; add port: 7101 (0 = an ephemeral port)");
    assertError(
        with(3, "coordinator: 127.0.0.1:0"), ":3: coordinator: port 0 is not a port; use 1-65535");
    assertError(
        with(3, "coordinator: 127.0.0.1"),
        ":3: coordinator: '127.0.0.1' is not host:port; write e.g. coordinator: 127.0.0.1:7100");
    assertError(
        with(6, "metrics: {port: 65536}"),
        ":6: metrics.port: 65536 is not a port; use 1-65535, or 0 for off");
    assertError(
        with(7, "heartbeat_seconds: 0"), ":7: heartbeat_seconds: 0 is out of range; use 1-300");
  }

  @Test
  void partyIdMustBeValidAndPresent() throws Exception {
    assertError(
        with(1, "party: Tax Bureau"),
        ":1: party: party id 'Tax Bureau' is invalid: use 1-64 lower-case letters, digits, '.',"
            + " '-' or '_', starting with a letter or digit");
    assertError(
        with(1, ""),
        ":1: missing key 'party' at the top level; add party: <id>, the CN of this node's"
            + " certificate");
    assertError(
        with(1, "party:"),
        ":1: party: has no value; add party: <id>, the CN of this node's certificate");
  }

  @Test
  void filesMustExistAndBeFiles() throws Exception {
    assertError(
        with(4, "tls: {ca: certs/ca.crt, cert: certs/bank.crt, key: certs/tax-bureau.key}"),
        ":4: tls.cert: "
            + dir.resolve("certs/bank.crt")
            + " does not exist; fix the path (relative paths start at "
            + dir
            + ")");
    assertError(
        with(4, "tls: {ca: certs, cert: certs/tax-bureau.crt, key: certs/tax-bureau.key}"),
        ":4: tls.ca: " + dir.resolve("certs") + " is not a regular file");
    assertError(
        with(9, "  invoices: {csv: {path: data/nope.csv}}"),
        ":9: datasets.invoices.csv.path: "
            + dir.resolve("data/nope.csv")
            + " does not exist; fix the path (relative paths start at "
            + dir
            + ")");
    assertError(
        with(24, "  csv: {path: data/gone.csv}"),
        ":24: consent.csv.path: "
            + dir.resolve("data/gone.csv")
            + " does not exist; fix the path (relative paths start at "
            + dir
            + ")");
    Files.writeString(dir.resolve("work-file"), "x");
    assertError(
        with(5, "work_dir: work-file"),
        ":5: work_dir: "
            + dir.resolve("work-file")
            + " exists and is not a directory; name a directory");
  }

  @Test
  void datasetsNeedExactlyOneSourceAndRulesADefinedDataset() throws Exception {
    assertError(
        with(9, "  invoices: {csv: {path: data/tax.csv}, jdbc: {url: 'jdbc:h2:mem:x', query: q}}"),
        ":9: datasets.invoices: give either csv or jdbc, not both; keep the one the node should"
            + " read");
    assertError(
        with(9, "  invoices: {}"),
        ":9: datasets.invoices: give csv: {path: ...} or jdbc: {url: ..., query: ...}");
    assertError(
        with(21, "      dataset: invoice"),
        ":21: policy.rules #1.dataset: 'invoice' is not defined under datasets; defined:"
            + " invoices, power");
    assertError(
        with(12, "      url: postgresql://127.0.0.1:5432/test"),
        ":12: datasets.power.jdbc.url: 'postgresql://127.0.0.1:5432/test' is not a JDBC URL;"
            + " write e.g. jdbc:postgresql://127.0.0.1:5432/test");
    assertError(
        with(14, "      password_env: PG_UNSET_PASSWORD"),
        ":14: datasets.power.jdbc.password_env: the environment variable PG_UNSET_PASSWORD is not"
            + " set; export it before starting the node");
    assertError(
        with(15, ""),
        ":12: missing key 'query' under 'datasets.power.jdbc'; add query: select ...");
    assertError(
        with(24, "  csv: {path: data/tax_consent.csv}\n  jdbc: {url: 'jdbc:h2:mem:c', query: q}"),
        ":25: consent: give either csv or jdbc, not both; keep the one the node should read");
    assertError(
        VALID.subList(0, 22),
        ":1: missing key 'consent' at the top level; add consent: {csv: {path: ...}} or {jdbc:"
            + " {url: ..., query: ...}}; rows without consent never enter PSI");
  }

  @Test
  void policyValuesAreChecked() throws Exception {
    assertError(
        with(17, "  approval: sometimes"),
        ":17: policy.approval: 'sometimes' is not one of auto, manual");
    assertError(
        with(19, "    - requesters: [Evil Bank]"),
        ":19: policy.rules #1.requesters: party id 'Evil Bank' is invalid: use 1-64 lower-case"
            + " letters, digits, '.', '-' or '_', starting with a letter or digit");
    assertError(
        with(22, "      columns: []"),
        ":22: policy.rules #1.columns: is empty; list the allowed columns, or '*' for all");
    assertError(
        with(22, "      columns: ['*', vat_m1]"),
        ":22: policy.rules #1.columns: '*' allows every column; give either '*' alone or the column names");
    assertError(
        List.of(
            String.join("\n", VALID.subList(0, 17)),
            "  rules: {requesters: [bank]}",
            String.join("\n", VALID.subList(22, 24))),
        ":18: policy.rules: must be a list of rules, each '- {requesters: [...], purposes: [...],"
            + " dataset: ..., columns: [...]}'");
  }

  @Test
  void theExampleConfigurationIsValidOnceItsFilesExist() throws Exception {
    Path example = Path.of("../examples/node/node.yaml");
    assertThat(example).exists();
    Path copy = dir.resolve("example/node.yaml");
    Files.createDirectories(copy.getParent());
    Files.copy(example, copy);
    // it refers to files that 'fedcredit certs' and the data owner create; stand in for them
    String text = Files.readString(copy);
    Matcher m = Pattern.compile("(?:ca|cert|key|path): ([^,}\\s]+)").matcher(text);
    while (m.find()) {
      Path f = copy.getParent().resolve(m.group(1));
      Files.createDirectories(f.getParent());
      Files.writeString(f, "id\n");
    }
    NodeConfig c = NodeConfig.load(copy, Map.of("PGPASSWORD", "x"));
    assertThat(c.party()).isEqualTo(PartyId.of("tax-bureau"));
    assertThat(c.policy().rules()).isNotEmpty();
  }
}
