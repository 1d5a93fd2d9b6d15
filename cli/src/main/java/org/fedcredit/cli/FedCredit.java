package org.fedcredit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one {@code fedcredit} command. Each capability is a subcommand; {@code --help} on any of them
 * explains its options and defaults.
 *
 * <p>Errors reach the user as one line saying what was wrong and how to fix it, with exit code 2
 * for bad input (files, options, configuration) and 1 for a failed computation. A stack trace is
 * printed only with {@code --debug}.
 */
@Command(
    name = "fedcredit",
    mixinStandardHelpOptions = true,
    versionProvider = FedCredit.Version.class,
    description = {
      "Federated learning and privacy computing for SME credit.",
      "",
      "Banks, tax bureaus and utilities train one credit model together while every record stays"
          + " with its owner.",
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      CertsCommand.class,
      CoordinatorCommand.class,
      NodeCommand.class,
      JobCommand.class,
      BenchCommand.class,
      DataCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Start with:  fedcredit demo        (a bank, a tax bureau and a utility as four processes"
          + " over mutual TLS train one credit model; about a minute)",
      "Then:        fedcredit run examples/default-credit/vertical-lr.yaml --simulate",
      "             (FATE's default_credit split, every party in one process)",
      "Deploy:      fedcredit certs, fedcredit coordinator, fedcredit node, fedcredit job"
          + "  (docs/deployment.md)",
      "And:         fedcredit bench paillier --json",
      "Own data:    fedcredit data synth --out DIR   (a bank, a tax bureau and a utility;"
          + " examples/sme/ holds the seed-42 set and its job spec)",
    })
public final class FedCredit implements Runnable {

  /** Exit code for bad input: an option, a file or a configuration the user can fix. */
  public static final int EXIT_BAD_INPUT = 2;

  /** Exit code for a computation that failed. */
  public static final int EXIT_FAILED = 1;

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print full stack traces on errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    // Before any JDK HTTP server (metrics, decision pages) is created: no Nagle delay on responses
    // (see DecisionWebServer).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns its exit code; used by {@link #main} and by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new FedCredit());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(
        e -> e instanceof UserInputException ? EXIT_BAD_INPUT : EXIT_FAILED);
    cli.setParameterExceptionHandler(
        (ex, arguments) -> {
          err.println("fedcredit: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return EXIT_BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean debug = parseResult.hasMatchedOption("--debug");
          err.println("fedcredit: " + ex.getMessage());
          if (debug) {
            ex.printStackTrace(err);
          } else if (!(ex instanceof UserInputException)) {
            err.println("(run again with --debug for the stack trace)");
          }
          return ex instanceof UserInputException ? EXIT_BAD_INPUT : EXIT_FAILED;
        });
    return cli.execute(args);
  }

  /** Reports the version written into the jar manifest by Maven. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FedCredit.class.getPackage().getImplementationVersion();
      return new String[] {"fedcredit " + (v == null ? "(development build)" : v)};
    }
  }
}
