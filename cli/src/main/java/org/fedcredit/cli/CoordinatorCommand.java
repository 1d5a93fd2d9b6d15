package org.fedcredit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedcredit.coordinator.CoordinatorConfig;
import org.fedcredit.coordinator.CoordinatorConfigException;
import org.fedcredit.coordinator.CoordinatorDaemon;
import org.fedcredit.coordinator.store.StoreException;
import org.fedcredit.transport.grpc.TransportException;
import org.fedcredit.transport.metrics.MetricsEndpointException;
import org.fedcredit.transport.tls.TlsSetupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedcredit coordinator --config coordinator.yaml}: the coordinator process. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the coordinator: job API (gRPC, mutual TLS), scheduler, party registry, job store and"
          + " model registry, and the neutral decryptor of vertical LR (it only ever decrypts"
          + " masked values).",
      "",
      "The store is an embedded H2 database in work_dir unless store.url names PostgreSQL;"
          + " migrations run at start. Jobs and their history survive restarts; a job that was"
          + " running when the coordinator stopped is marked failed.",
      "",
      "Everything it computes goes to its transparency log in the same store: each job's"
          + " submission, the parties' decisions, PSI counts, every encrypted round with the"
          + " effective key size and ciphertext hashes, model releases and the decisions the bank"
          + " serves; checkpoints are signed with the log key (audit.key, created on first start,"
          + " public half in log.pub beside it) and cosigned by the nodes before every step. On"
          + " stop it writes <work_dir>/audit/export.json; check it with fedcredit audit verify."
          + " With audit.web.port the compliance page runs on GET /audit.",
      "Configuration keys: docs/deployment.md. Stop with Ctrl-C.",
    })
final class CoordinatorCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "coordinator.yaml")
  Path config;

  @Option(
      names = "--insecure-dev",
      description = "Plaintext gRPC without authentication. Development only; prints a warning.")
  boolean insecureDev;

  @Override
  public Integer call() throws InterruptedException {
    CoordinatorDaemon d;
    try {
      d = CoordinatorDaemon.start(CoordinatorConfig.load(config), insecureDev);
    } catch (CoordinatorConfigException
        | TlsSetupException
        | StoreException
        | MetricsEndpointException
        | TransportException e) {
      throw new UserInputException(e.getMessage());
    }
    if (insecureDev) {
      spec.commandLine()
          .getErr()
          .println("WARNING: --insecure-dev: plaintext gRPC, no authentication; development only");
    }
    spec.commandLine()
        .getErr()
        .println("coordinator listening on port " + d.port() + " (Ctrl-C to stop)");
    spec.commandLine().getErr().flush();
    Runtime.getRuntime().addShutdownHook(new Thread(d::close, "coordinator-stop"));
    d.awaitTermination();
    return 0;
  }
}
