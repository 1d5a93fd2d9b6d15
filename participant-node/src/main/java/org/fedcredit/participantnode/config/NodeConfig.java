package org.fedcredit.participantnode.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.policy.ColumnPolicy;
import org.fedcredit.participantnode.policy.ConsentSource;

/**
 * A participant node's configuration: one YAML file, validated completely by {@link #load(Path)}
 * before the node starts (see docs/node-config.md for every key and its default).
 *
 * <pre>{@code
 * party: tax-bureau                 # must equal the CN of the node certificate
 * listen: {host: 127.0.0.1, port: 7101}
 * coordinator: 127.0.0.1:7100
 * tls: {ca: certs/ca.crt, cert: certs/tax-bureau.crt, key: certs/tax-bureau.key}
 * work_dir: work/tax-bureau
 * metrics: {port: 9101}             # 0 = off (default)
 * heartbeat_seconds: 2
 * datasets:
 *   invoices: {csv: {path: data/tax.csv, id_column: id, categorical: [industry]}}
 * policy:
 *   approval: auto                  # or manual (default)
 *   rules:
 *     - {requesters: [bank], purposes: [credit-scoring], dataset: invoices, columns: [vat_m1]}
 * consent:
 *   csv: {path: data/tax_consent.csv}
 * }</pre>
 *
 * <p>Relative paths are resolved against the configuration file's directory, and every file it
 * names (certificates, key, CSV data, consent CSV) must exist and be readable when it is loaded;
 * the certificates themselves are parsed by the TLS setup, which also checks that {@link #party()}
 * is the certificate's CN. Nothing here opens a network connection: JDBC datasets and consent are
 * reached when the node loads them.
 *
 * @param file the configuration file, absolute
 * @param party this node's party id
 * @param listen where the node's federation endpoint listens (port 0 = an ephemeral port)
 * @param coordinator the coordinator's endpoint
 * @param tls the mTLS material
 * @param workDir model shards and accepted jobs (created by the node if missing)
 * @param metrics the metrics/health endpoint
 * @param heartbeatSeconds how often the node reports to the coordinator
 * @param datasets the datasets by alias, in file order
 * @param policy who may use which columns for what
 * @param consent where the enterprises' consents are kept
 * @param serving online scoring of a published model ({@code serving:}), if configured
 * @param coordinatorLogKey the verifier key of the coordinator's audit log ({@code
 *     coordinator_log_key}), obtained out of band; without it the node pins the first key the
 *     coordinator announces (trust on first use, docs/protocols/transparency-log.md)
 */
public record NodeConfig(
    Path file,
    PartyId party,
    Endpoint listen,
    Endpoint coordinator,
    Tls tls,
    Path workDir,
    Metrics metrics,
    int heartbeatSeconds,
    Map<String, DataSource> datasets,
    ColumnPolicy policy,
    ConsentSource consent,
    Optional<ServingConfig> serving,
    Optional<NoteKeys.Verifier> coordinatorLogKey) {

  /** Default {@code heartbeat_seconds}. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 2;

  /** A host and a TCP port. */
  public record Endpoint(String host, int port) {
    public Endpoint {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The node's CA certificate, certificate and private key (PEM files, absolute paths). */
  public record Tls(Path ca, Path cert, Path key) {
    public Tls {
      Objects.requireNonNull(ca, "ca");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The Prometheus metrics and health endpoint; port 0 = off; host {@code 127.0.0.1} by default
   * ({@code 0.0.0.0} to let a Prometheus on another host or container scrape it).
   */
  public record Metrics(int port, String host) {
    public boolean enabled() {
      return port != 0;
    }
  }

  public NodeConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(consent, "consent");
    Objects.requireNonNull(serving, "serving");
    Objects.requireNonNull(coordinatorLogKey, "coordinatorLogKey");
    datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
  }

  /**
   * Reads and validates a configuration file; {@code password_env} names are looked up in the
   * process environment.
   *
   * @throws NodeConfigException with a one-line message naming file, line, what and how to fix it
   */
  public static NodeConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * As {@link #load(Path)}, with {@code password_env} names looked up in {@code env}.
   *
   * @throws NodeConfigException with a one-line message naming file, line, what and how to fix it
   */
  public static NodeConfig load(Path file, Map<String, String> env) {
    return new NodeConfigReader(file, env).read();
  }
}
