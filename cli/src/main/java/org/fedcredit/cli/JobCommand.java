package org.fedcredit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedcredit.cli.deploy.JobClient;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.config.NodeConfigException;
import org.fedcredit.participantnode.node.ParticipantDaemon;
import org.fedcredit.protocols.coordinator.v1.JobEvent;
import org.fedcredit.protocols.coordinator.v1.JobSummary;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TlsSetupException;
import org.fedcredit.transport.tls.TransportSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedcredit job submit|watch|list|cancel|model}: the bank's modelling team's commands. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Submits and follows training jobs on the coordinator, as the bank's modelling team.",
      "",
      "Every subcommand takes --config, the bank node's node.yaml: it says where the"
          + " coordinator is and which certificate to use (the submitter is the certificate's"
          + " party, which must be the job's label party).",
      "  fedcredit job submit job.yaml --config bank.yaml --watch",
      "  fedcredit job watch JOB --config bank.yaml",
      "  fedcredit job list --config bank.yaml",
    },
    subcommands = {
      JobCommand.Submit.class,
      JobCommand.Watch.class,
      JobCommand.ListJobs.class,
      JobCommand.Cancel.class,
      JobCommand.Model.class
    })
final class JobCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The connection options every subcommand shares. */
  static final class Connection {
    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "The bank node's node.yaml.")
    Path config;

    @Option(names = "--insecure-dev", description = "Plaintext gRPC (development only).")
    boolean insecureDev;

    JobClient open() {
      try {
        NodeConfig c = NodeConfig.load(config);
        TransportSecurity s =
            TransportSecurity.select(
                c.party(),
                insecureDev
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(
                        new TlsIdentity(c.tls().ca(), c.tls().cert(), c.tls().key())),
                insecureDev);
        return new JobClient(
            s,
            ParticipantDaemon.COORDINATOR,
            new PeerAddress(c.coordinator().host(), c.coordinator().port()));
      } catch (NodeConfigException | TlsSetupException e) {
        throw new UserInputException(e.getMessage());
      }
    }
  }

  static <T> T ask(java.util.function.Supplier<T> c) {
    try {
      return c.get();
    } catch (JobClient.CoordinatorCallException e) {
      if (e.userError()) {
        throw new UserInputException(e.getMessage());
      }
      throw e;
    }
  }

  static void print(PrintWriter out, JobSummary j) {
    out.printf(
        Locale.ROOT,
        "%s  %-10s %-28s %s%s%n",
        j.getJobId(),
        j.getState(),
        j.getName(),
        j.getStep().isEmpty()
            ? ""
            : "step " + (j.getStepIndex() + 1) + "/" + j.getStepCount() + " " + j.getStep() + "  ",
        j.getMessage());
  }

  static void print(PrintWriter out, JobEvent e) {
    out.printf(
        Locale.ROOT,
        "%s  %-15s %-11s %-10s %s%n",
        Instant.ofEpochMilli(e.getAtMs()),
        e.getKind(),
        e.getParty(),
        e.getStep(),
        e.getMessage());
    out.flush();
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Submits a job spec (YAML).")
  static final class Submit implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec (see examples/).")
    Path job;

    @Option(
        names = "--watch",
        description = "Follow the job until it ends; exit 0 only if it succeeded.")
    boolean watch;

    @Override
    public Integer call() throws IOException {
      if (!Files.isReadable(job)) {
        throw new UserInputException("cannot read job spec " + job);
      }
      String yaml = Files.readString(job);
      try (JobClient c = connection.open()) {
        JobSummary j = ask(() -> c.submit(yaml));
        PrintWriter out = spec.commandLine().getOut();
        out.println("submitted " + j.getJobId());
        out.flush();
        if (!watch) {
          return 0;
        }
        JobSummary end = ask(() -> c.watch(j.getJobId(), e -> print(out, e)));
        print(out, end);
        return end.getState().equals("succeeded") ? 0 : 1;
      }
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Streams a job's events until it ends.")
  static final class Watch implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Override
    public Integer call() {
      try (JobClient c = connection.open()) {
        PrintWriter out = spec.commandLine().getOut();
        JobSummary end = ask(() -> c.watch(job, e -> print(out, e)));
        print(out, end);
        return end.getState().equals("succeeded") ? 0 : 1;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists recent jobs, newest first.")
  static final class ListJobs implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Connection connection;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      try (JobClient c = connection.open()) {
        PrintWriter out = spec.commandLine().getOut();
        ask(() -> c.list(limit)).forEach(j -> print(out, j));
        return 0;
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancels a job you submitted.")
  static final class Cancel implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Override
    public Integer call() {
      try (JobClient c = connection.open()) {
        print(spec.commandLine().getOut(), ask(() -> c.cancel(job)));
        return 0;
      }
    }
  }

  @Command(
      name = "model",
      mixinStandardHelpOptions = true,
      description = "Shows a job's registered model: metrics and each party's shard hash (JSON).")
  static final class Model implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Override
    public Integer call() throws IOException {
      try (JobClient c = connection.open()) {
        spec.commandLine()
            .getOut()
            .println(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(JobClient.toMap(ask(() -> c.model(job)))));
        return 0;
      }
    }
  }
}
