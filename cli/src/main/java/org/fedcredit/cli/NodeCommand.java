package org.fedcredit.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.config.NodeConfigException;
import org.fedcredit.participantnode.node.ParticipantDaemon;
import org.fedcredit.protocols.participant.v1.ApproveRequest;
import org.fedcredit.protocols.participant.v1.ParticipantServiceGrpc;
import org.fedcredit.protocols.participant.v1.ProposalAnswer;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.grpc.TransportException;
import org.fedcredit.transport.metrics.MetricsEndpointException;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TlsSetupException;
import org.fedcredit.transport.tls.TransportSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedcredit node --config node.yaml}: an institution's participant node. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a participant node: the daemon a bank, tax bureau or utility runs next to its data.",
      "",
      "It serves the participant and federation services over gRPC with mutual TLS, registers"
          + " with the coordinator, and decides on every job by its own policy: which requesting"
          + " party, which purpose, which columns of which dataset. Rows of enterprises without"
          + " valid consent never enter PSI. Model shards stay in its work_dir.",
      "With a serving: section it also serves a published model online: a feature party answers"
          + " the bank's scoring requests for its part (consent checked, per-column attributions"
          + " only if its policy allows); the bank adds POST /v1/decisions, gRPC Decisions.Score,"
          + " the borrower page /decisions/<token> (中文 / English) and the officer view"
          + " /officer/decisions (docs/protocols/serving.md, docs/borrower-page.md).",
      "Before every step it witnesses the coordinator's audit log: it checks the signed"
          + " checkpoint (key: coordinator_log_key, else the first key seen, pinned in"
          + " work_dir/witness), its consistency with the last checkpoint it accepted and with the"
          + " other parties' cosignatures, then cosigns it with its TLS key; a failed check refuses"
          + " the step (docs/protocols/transparency-log.md, Witnesses).",
      "Configuration keys: docs/node-config.md. Stop with Ctrl-C.",
      "With 'approval: manual' in the policy, approve a job with: fedcredit node approve JOB --config node.yaml",
    },
    subcommands = {NodeCommand.Approve.class})
final class NodeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "node.yaml")
  Path config;

  @Option(
      names = "--insecure-dev",
      description = "Plaintext gRPC without authentication. Development only; prints a warning.")
  boolean insecureDev;

  @Override
  public Integer call() throws InterruptedException {
    if (config == null) {
      throw new UserInputException(
          "--config FILE is required (the node's YAML configuration; see docs/node-config.md)");
    }
    ParticipantDaemon d;
    try {
      d = ParticipantDaemon.start(NodeConfig.load(config), insecureDev);
    } catch (NodeConfigException
        | TlsSetupException
        | MetricsEndpointException
        | TransportException
        | org.fedcredit.participantnode.data.DatasetException
        | ParticipantDaemon.NodeStartException
        | org.fedcredit.participantnode.serving.scoring.ServingRuntime.ServingStartException
        | org.fedcredit.participantnode.serving.web.DecisionWebServerException
        | org.fedcredit.participantnode.serving.store.DecisionStoreException e) {
      throw new UserInputException(e.getMessage());
    }
    if (insecureDev) {
      spec.commandLine()
          .getErr()
          .println("WARNING: --insecure-dev: plaintext gRPC, no authentication; development only");
    }
    spec.commandLine().getErr().println("node listening on port " + d.port() + " (Ctrl-C to stop)");
    d.serving()
        .flatMap(s -> s.web())
        .ifPresent(
            w ->
                spec.commandLine()
                    .getErr()
                    .println(
                        "decisions: POST "
                            + w.baseUri()
                            + "v1/decisions; borrower pages "
                            + w.baseUri()
                            + "decisions/<token>"));
    spec.commandLine().getErr().flush();
    Runtime.getRuntime().addShutdownHook(new Thread(d::close, "node-stop"));
    d.awaitTermination();
    return 0;
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description =
          "Approves (or with --reject, refuses) a job waiting at this node. Talks to the running"
              + " node with the node's own certificate; the node tells the coordinator.")
  static final class Approve implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "node.yaml")
    Path config;

    @Option(names = "--reject", description = "Refuse the job instead.")
    boolean reject;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (shown to the bank).")
    String reason = "";

    @Override
    public Integer call() {
      NodeConfig c;
      TransportSecurity security;
      try {
        c = NodeConfig.load(config);
        security =
            TransportSecurity.mutualTls(
                new TlsIdentity(c.tls().ca(), c.tls().cert(), c.tls().key()));
      } catch (NodeConfigException | TlsSetupException e) {
        throw new UserInputException(e.getMessage());
      }
      int port = org.fedcredit.transport.ReadyMarker.port(c.workDir()).orElse(c.listen().port());
      ManagedChannel ch =
          GrpcChannels.forPeer(security, c.party(), new PeerAddress(c.listen().host(), port));
      try {
        ProposalAnswer a =
            ParticipantServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .approve(
                    ApproveRequest.newBuilder()
                        .setJobId(job)
                        .setAccept(!reject)
                        .setReason(reason)
                        .build());
        spec.commandLine()
            .getOut()
            .println(
                job
                    + ": "
                    + a.getVerdict().name().toLowerCase()
                    + (a.getReason().isEmpty() ? "" : " (" + a.getReason() + ")"));
        return 0;
      } catch (StatusRuntimeException e) {
        throw new UserInputException(
            "the node at "
                + c.listen()
                + " refused: "
                + (e.getStatus().getDescription() == null
                    ? e.getStatus().getCode()
                    : e.getStatus().getDescription()));
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
