package org.fedcredit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedcredit.cli.run.SimulatedVerticalJob;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.JobSpecException;
import org.fedcredit.modelzoo.scorecard.Scorecard;
import org.fedcredit.modelzoo.scorecard.ScorecardException;
import org.fedcredit.modelzoo.serving.ShardFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedcredit run JOB.yaml --simulate}: a whole vertical job, every party in this process. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a vertical training job from its YAML spec.",
      "",
      "With --simulate every party (the bank, each data provider, the coordinator) runs in this"
          + " process on its own thread, reading its own CSV file; they talk only through"
          + " protobuf messages: PSI on the ids, party-local preprocessing, vertical logistic"
          + " regression with Paillier, evaluation at the bank on the hold-out ids.",
      "Examples: examples/default-credit/vertical-lr.yaml (raw z-scores),"
          + " examples/default-credit/vertical-lr-binned.yaml (party-local 10-quantile bins),"
          + " examples/default-credit/secureboost.yaml, examples/default-credit/scorecard.yaml"
          + " (federated WOE binning, IV selection, LR on WOE, points per bin).",
      "A 2048-bit Paillier run on default_credit takes a while on 2 cores (see"
          + " docs/benchmarks.md); 'crypto: plaintext-insecure' in the spec computes the same"
          + " numbers without encryption in seconds.",
    })
final class RunCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec.")
  Path job;

  @Option(
      names = "--simulate",
      description =
          "Run all parties in this process (required; deployed nodes take jobs through"
              + " 'fedcredit job submit').")
  boolean simulate;

  @Option(
      names = "--predictions",
      paramLabel = "FILE",
      description =
          "Write id,probability for every hold-out row (atomically); a scorecard job adds"
              + " score and band.")
  Path predictions;

  @Option(
      names = "--scorecard-out",
      paramLabel = "DIR",
      description =
          "algorithm: scorecard only: merge the points tables the parties published into the"
              + " committee export DIR/scorecard.json and DIR/scorecard.csv (written atomically)."
              + " Every party must be listed under scorecard.publish in the spec.")
  Path scorecardOut;

  @Option(
      names = "--model-out",
      paramLabel = "DIR",
      description =
          "Write every party's model shard (format fedcredit-shard/1: its preprocessing, bins or"
              + " WOE, weights or split table, training means; the bank's intercept or trees) as"
              + " DIR/<party>.json, each atomically, as the nodes store them at publish; a bank or"
              + " feature-party node can serve decisions from them.")
  Path modelOut;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Option(
      names = "--trace-messages",
      paramLabel = "DIR",
      description =
          "Write every federation message exactly as sent, one file each, named"
              + " NNNNNNN_<sender>_to_<receiver>_<tag>.bin (DIR must be new or empty).")
  Path traceDir;

  @Override
  public Integer call() throws IOException {
    if (!simulate) {
      throw new UserInputException(
          "add --simulate to run every party in this process; to run on deployed nodes, submit"
              + " the job to the coordinator: fedcredit job submit "
              + job
              + " --config bank.yaml --watch (docs/deployment.md)");
    }
    if (!Files.isReadable(job)) {
      throw new UserInputException("cannot read job spec " + job);
    }
    JobSpec jobSpec;
    try {
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(job.toFile(), Object.class);
      if (!(tree instanceof Map<?, ?> map)) {
        throw new UserInputException(job + ": the job spec must be a YAML mapping");
      }
      jobSpec = JobSpec.fromMap(map);
    } catch (JsonProcessingException e) {
      throw new UserInputException(
          job
              + ":"
              + e.getLocation().getLineNr()
              + ":"
              + e.getLocation().getColumnNr()
              + ": not valid YAML: "
              + e.getOriginalMessage());
    } catch (JobSpecException e) {
      throw new UserInputException(job + ": " + e.getMessage());
    }
    if (scorecardOut != null) {
      checkPublishable(jobSpec);
    }
    if (traceDir != null) {
      Files.createDirectories(traceDir);
      try (var s = Files.list(traceDir)) {
        if (s.findAny().isPresent()) {
          throw new UserInputException("--trace-messages " + traceDir + " is not empty");
        }
      }
    }
    Path base = job.toAbsolutePath().getParent();
    PrintWriter err = spec.commandLine().getErr();
    SimulatedVerticalJob.Outcome outcome;
    try {
      outcome = new SimulatedVerticalJob(jobSpec, base, err).run(traceDir);
    } catch (JobSpecException e) {
      throw new UserInputException(job + ": " + e.getMessage());
    }
    if (predictions != null) {
      writeAtomically(predictions, outcome, jobSpec);
    }
    if (modelOut != null) {
      for (var e : outcome.shards().entrySet()) {
        ShardFiles.write(e.getValue(), modelOut.resolve(e.getKey() + ".json"));
      }
    }
    if (scorecardOut != null) {
      Scorecard card;
      try {
        card = Scorecard.merge(outcome.scorecardParts(), jobSpec.scorecard().bands());
      } catch (ScorecardException e) {
        throw new UserInputException(job + ": " + e.getMessage());
      }
      Files.createDirectories(scorecardOut);
      card.writeJson(scorecardOut.resolve("scorecard.json"));
      card.writeCsv(scorecardOut.resolve("scorecard.csv"));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(outcome.report()));
    } else {
      Map<String, Object> r = outcome.report();
      out.printf(
          Locale.ROOT,
          "%s: %s on %,d aligned rows (%,d train, %,d hold-out)%n",
          r.get("job"),
          r.get("algorithm"),
          r.get("aligned_rows"),
          r.get("train_rows"),
          r.get("holdout_rows"));
      if (r.get("metrics") instanceof Map<?, ?> m
          && r.get("bank_only_metrics") instanceof Map<?, ?> b) {
        out.printf(
            Locale.ROOT,
            "hold-out AUC %.4f, KS %.4f, Gini %.4f (bank alone: AUC %.4f)%n",
            m.get("auc"),
            m.get("ks"),
            m.get("gini"),
            b.get("auc"));
      }
      if (r.get("scorecard") instanceof Map<?, ?> sc) {
        out.printf(
            Locale.ROOT,
            "scorecard: %s characteristics, %.2f base points each, %s points to double the"
                + " odds%n",
            sc.get("characteristics"),
            sc.get("base_points_per_characteristic"),
            sc.get("pdo"));
      }
      out.printf(
          Locale.ROOT,
          "epochs %s (%s); %,d bytes exchanged%n",
          r.get("epochs_run"),
          r.get("stop_reason"),
          r.get("bytes_total"));
    }
    return 0;
  }

  /** A committee export needs every party's points tables: all must agree to publish them. */
  private void checkPublishable(JobSpec s) {
    if (!s.algorithm().equals("scorecard")) {
      throw new UserInputException(
          "--scorecard-out: job " + s.job() + " is " + s.algorithm() + ", not a scorecard job");
    }
    List<String> missing =
        s.parties().stream()
            .map(JobSpec.PartySpec::name)
            .filter(p -> !s.scorecard().publishes(p))
            .toList();
    if (!missing.isEmpty()) {
      throw new UserInputException(
          job
              + ": --scorecard-out needs every party's points tables, but "
              + missing
              + " did not agree to publish theirs (scorecard.publish: "
              + s.scorecard().publish()
              + "); a partial card does not add up to the score. Add them to scorecard.publish"
              + " (docs/protocols/binning.md says what they reveal) or drop --scorecard-out");
    }
  }

  private static void writeAtomically(Path file, SimulatedVerticalJob.Outcome o, JobSpec jobSpec)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".predictions", ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      if (o.holdoutScores().isPresent()) {
        // A scorecard job: the score (offset − factor·logit) and its band as well.
        double[] score = o.holdoutScores().get();
        w.write("id,probability,score,band\n");
        for (int i = 0; i < o.holdoutIds().size(); i++) {
          w.write(
              o.holdoutIds().get(i)
                  + ","
                  + o.holdoutProbabilities()[i]
                  + ","
                  + score[i]
                  + ","
                  + jobSpec.scorecard().bands().band(score[i])
                  + "\n");
        }
      } else {
        w.write("id,probability\n");
        for (int i = 0; i < o.holdoutIds().size(); i++) {
          w.write(o.holdoutIds().get(i) + "," + o.holdoutProbabilities()[i] + "\n");
        }
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
