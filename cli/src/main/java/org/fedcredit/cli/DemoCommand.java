package org.fedcredit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fedcredit.cli.deploy.FourNodeDemo;
import org.fedcredit.cli.deploy.JobClient;
import org.fedcredit.transport.tls.TlsSetupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedcredit demo}: four institutions as four processes over gRPC with mutual TLS. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "A bank, a tax bureau and a utility train one SME credit model without sharing a record.",
      "",
      "In a fresh work directory the demo synthesises the three institutions' data (loans and"
          + " repayments; monthly VAT invoices and tax grade; monthly power use and late payments;"
          + " consent registries), creates a private CA and a certificate per institution, and"
          + " starts the coordinator, the bank, the tax bureau and the utility as four separate"
          + " processes talking gRPC with mutual TLS on loopback. The bank submits a job: PSI on"
          + " the enterprise ids (consenting enterprises only), party-local preprocessing, vertical"
          + " logistic regression under 2048-bit Paillier, evaluation on the bank's hold-out."
          + " Then the nodes restart serving the published model and the bank decides on two"
          + " applicants (one round trip to each feature party per decision), showing the reasons"
          + " in English and Chinese and what would turn a refusal into an approval. The demo"
          + " prints what the federation added over the bank alone and stops every process it"
          + " started.",
      "",
      "Other demos: fedcredit demo pooled-statistics (three banks pool statistics, one process).",
    },
    subcommands = {PooledStatisticsDemoCommand.class})
final class DemoCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      description =
          "Where to put data, certificates, configurations, logs, model shards and the"
              + " coordinator's audit log export; kept afterwards (check the log with fedcredit"
              + " audit verify --dir DIR). It must be new, empty, or an earlier demo's directory,"
              + " which is replaced. Default: ${DEFAULT-VALUE} in the current directory.",
      defaultValue = DEFAULT_WORKDIR)
  Path workdir;

  /** The demo's work directory unless --workdir says otherwise. */
  static final String DEFAULT_WORKDIR = "fedcredit-demo";

  /** The file that marks a directory as a demo's, so the next demo may replace it. */
  static final String MARKER = ".fedcredit-demo";

  @Option(
      names = "--temporary",
      description = "Use a temporary work directory and remove it at the end.")
  boolean temporary;

  @Option(names = "--json", description = "Print the summary as JSON on stdout.")
  boolean json;

  @Option(
      names = "--enterprises",
      defaultValue = "6000",
      description = "How many enterprises to synthesise (default: ${DEFAULT-VALUE}).")
  int enterprises;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Data seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--epochs",
      defaultValue = "8",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--key-bits",
      defaultValue = "2048",
      description = "Paillier key size, at least 2048 (default: ${DEFAULT-VALUE}).")
  int keyBits;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (enterprises < 200) {
      throw new UserInputException("--enterprises must be at least 200, was " + enterprises);
    }
    if (keyBits < 2048) {
      throw new UserInputException("--key-bits " + keyBits + " is below the floor of 2048");
    }
    Path dir = temporary ? Files.createTempDirectory("fedcredit-demo-") : prepare(workdir);
    PrintWriter err = spec.commandLine().getErr();
    FourNodeDemo.Result r;
    try {
      r =
          new FourNodeDemo(
                  new FourNodeDemo.Options(dir, enterprises, seed, epochs, keyBits, false), err)
              .run();
    } catch (FourNodeDemo.DemoFailedException
        | JobClient.CoordinatorCallException
        | TlsSetupException e) {
      throw new IllegalStateException(
          e.getMessage() + (temporary ? "" : " (work directory kept: " + dir + ")"), e);
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> rep = r.report();
    if (temporary) {
      rep.put("workdir", "(temporary, removed; run without --temporary to keep it)");
    }
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rep));
    } else if (r.succeeded()) {
      out.printf(Locale.ROOT, "Job %s succeeded.%n", rep.get("job_id"));
      out.printf(
          Locale.ROOT,
          "  enterprises aligned by PSI:  %,d (hold-out %,d)%n",
          rep.get("rows_aligned"),
          rep.get("holdout_rows"));
      out.printf(
          Locale.ROOT, "  bank alone:                  AUC %.4f%n", rep.get("bank_alone_auc"));
      out.printf(
          Locale.ROOT,
          "  bank + tax bureau + utility: AUC %.4f (KS %.4f)%n",
          rep.get("federated_auc"),
          rep.get("federated_ks"));
      out.printf(Locale.ROOT, "  lift from federation:        %+.4f AUC%n", rep.get("auc_lift"));
      out.printf(
          Locale.ROOT,
          "  time: %.0f s for the job, %.0f s in all; %,d bytes exchanged%n",
          rep.get("seconds_job"),
          rep.get("seconds_total"),
          rep.get("bytes_total"));
      out.printf(
          Locale.ROOT, "  no raw record left its institution; each keeps its own model shard%n");
      out.printf(Locale.ROOT, "  work directory: %s%n", rep.get("workdir"));
    } else {
      out.printf(
          Locale.ROOT, "Job %s %s: %s%n", rep.get("job_id"), rep.get("state"), rep.get("message"));
    }
    return r.succeeded() ? 0 : 1;
  }

  /**
   * Makes {@code dir} ready: creates it, or empties it if an earlier demo made it (it holds {@link
   * #MARKER}); refuses any other non-empty directory, so no one's files are deleted by a demo.
   */
  static Path prepare(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserInputException("--workdir " + dir + " is a file; give a directory");
    }
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
          throw new UserInputException(
              "--workdir "
                  + dir.toAbsolutePath()
                  + " is not empty and not an earlier demo's directory (no "
                  + MARKER
                  + " file); remove it or give another --workdir");
        }
        deleteTree(dir);
      }
    }
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(MARKER),
        "Made by fedcredit demo; the next demo in this directory replaces everything here.\n");
    return dir;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
