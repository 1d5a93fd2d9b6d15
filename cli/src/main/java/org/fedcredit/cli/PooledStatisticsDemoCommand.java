package org.fedcredit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.stats.SecurePooledStatistics;
import org.fedcredit.modelzoo.stats.SecurePooledStatistics.FeatureStatistic;
import org.fedcredit.modelzoo.stats.SecurePooledStatistics.PooledStatistics;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataFormatException;
import org.fedcredit.secagg.encoding.PackingScheme;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierException;
import org.fedcredit.secagg.paillier.PaillierKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedcredit demo pooled-statistics}: three banks pool their credit statistics under Paillier
 * encryption, on FATE's horizontal split of the UCI default-of-credit-card data. Runs every role in
 * this process and passes real protobuf messages between them (the main demo, {@code fedcredit
 * demo}, runs the institutions as separate processes over gRPC with mutual TLS).
 */
@Command(
    name = "pooled-statistics",
    mixinStandardHelpOptions = true,
    description = {
      "Three banks pool credit statistics without showing each other their data.",
      "",
      "Each bank sums its own 8,000 loans (count, defaults, and per feature Σx, Σx², Σx·y),"
          + " packs the sums into fixed-point slots and encrypts them under a fresh Paillier key"
          + " held by the coordinator. Bank A adds the three encrypted vectors without being able to"
          + " read them and re-randomises the total; the coordinator decrypts only that total. The"
          + " demo then checks the result against pooling the raw data in the clear and that every"
          + " ciphertext that crossed between roles was randomised.",
      "",
      "Data: examples/default-credit/default_credit_homo_{guest,host_1,host_2}.csv (UCI, CC BY 4.0,"
          + " via FATE).",
    })
final class PooledStatisticsDemoCommand implements Callable<Integer> {

  private static final String[] BANK_FILES = {
    "default_credit_homo_guest.csv",
    "default_credit_homo_host_1.csv",
    "default_credit_homo_host_2.csv"
  };
  private static final String[] BANK_NAMES = {"bank-a", "bank-b", "bank-c"};

  /** The UCI names of FATE's x0..x22 in the homo files (examples/README.md). */
  private static final String[] UCI_NAMES = {
    "PAY_6",
    "BILL_AMT1",
    "BILL_AMT2",
    "BILL_AMT3",
    "BILL_AMT4",
    "BILL_AMT5",
    "BILL_AMT6",
    "PAY_AMT1",
    "PAY_AMT2",
    "PAY_AMT3",
    "PAY_AMT4",
    "PAY_AMT5",
    "PAY_AMT6",
    "LIMIT_BAL",
    "SEX",
    "EDUCATION",
    "MARRIAGE",
    "AGE",
    "PAY_0",
    "PAY_2",
    "PAY_3",
    "PAY_4",
    "PAY_5"
  };

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Folder with the three bank CSV files (default: examples/default-credit in the"
              + " FedCredit checkout).")
  Path data;

  @Option(
      names = "--key-bits",
      defaultValue = "2048",
      description = "Paillier key size: 2048 (default), 3072 or 4096.")
  int keyBits;

  @Option(names = "--json", description = "Print one JSON object instead of the readable report.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = data != null ? data : defaultDataDir();
    if (keyBits != 2048 && keyBits != 3072 && keyBits != 4096) {
      throw new UserInputException("--key-bits must be 2048, 3072 or 4096, was " + keyBits);
    }
    long start = System.nanoTime();
    Progress progress = new Progress(err, json);

    progress.step("reading the three banks' files from " + dir);
    List<LocalTable> banks = new ArrayList<>();
    for (String f : BANK_FILES) {
      Path p = dir.resolve(f);
      if (!Files.isReadable(p)) {
        throw new UserInputException(
            "cannot read "
                + p
                + "; pass --data DIR with the folder holding "
                + String.join(", ", BANK_FILES));
      }
      try {
        banks.add(CsvDataSource.read(p, CsvDataSource.Spec.labelled("id", "y")));
      } catch (DataFormatException e) {
        throw new UserInputException(e.getMessage());
      }
    }
    List<String> names = banks.get(0).featureNames();
    for (LocalTable t : banks) {
      if (!t.featureNames().equals(names)) {
        throw new UserInputException(
            t.source() + " has other columns than " + banks.get(0).source());
      }
    }

    progress.step("coordinator: generating a fresh " + keyBits + "-bit Paillier key");
    long t0 = System.nanoTime();
    PaillierKeyPair key;
    try {
      key = PaillierKeyPair.generate(keyBits, KeySizePolicy.DEFAULT, new SecureRandom());
    } catch (PaillierException e) {
      throw new UserInputException(e.getMessage());
    }
    double keygenSeconds = seconds(t0);
    PaillierEngine.Options options = PaillierEngine.Options.defaults();
    Map<String, Long> bytes = new LinkedHashMap<>();
    long publicKeyBytes =
        org.fedcredit.secagg.paillier.PaillierKeyCodec.toProto(key.publicKey()).getSerializedSize();
    for (String b : BANK_NAMES) {
      bytes.merge("coordinator->" + b, publicKeyBytes, Long::sum);
    }

    // Public parameters every party agrees on in the job: bound, scale, number of summands.
    PackingScheme scheme = PackingScheme.forBounds(key.publicKey().n(), 20, 1e9, BANK_NAMES.length);

    progress.step("banks: summing, packing and encrypting their local statistics");
    t0 = System.nanoTime();
    List<EncryptedVector> sent = new ArrayList<>();
    try (PaillierEngine bankEngine = PaillierEngine.forPublicKey(key.publicKey(), options)) {
      for (int i = 0; i < banks.size(); i++) {
        EncryptedVector v =
            SecurePooledStatistics.encryptLocalSums(banks.get(i), bankEngine, scheme);
        byte[] wire = v.toProto().toByteArray();
        if (i > 0) {
          bytes.merge(BANK_NAMES[i] + "->" + BANK_NAMES[0], (long) wire.length, Long::sum);
        }
        // What the aggregator receives is parsed back from the bytes, as over a network.
        sent.add(
            EncryptedVector.fromProto(
                org.fedcredit.protocols.paillier.v1.EncryptedVector.parseFrom(wire),
                key.publicKey()));
      }
    }
    double encryptSeconds = seconds(t0);

    progress.step("bank-a: adding the encrypted vectors and re-randomising the total");
    t0 = System.nanoTime();
    EncryptedVector total;
    try (PaillierEngine aggregator = PaillierEngine.forPublicKey(key.publicKey(), options)) {
      total = SecurePooledStatistics.aggregate(sent, aggregator);
    }
    byte[] totalWire = total.toProto().toByteArray();
    bytes.merge(BANK_NAMES[0] + "->coordinator", (long) totalWire.length, Long::sum);
    double aggregateSeconds = seconds(t0);

    progress.step("coordinator: decrypting only the pooled total");
    t0 = System.nanoTime();
    PooledStatistics pooled;
    try (PaillierEngine coordinator = PaillierEngine.forKeyOwner(key.privateKey(), options)) {
      EncryptedVector received =
          EncryptedVector.fromProto(
              org.fedcredit.protocols.paillier.v1.EncryptedVector.parseFrom(totalWire),
              key.publicKey());
      pooled =
          SecurePooledStatistics.decryptPooled(
              received, BANK_NAMES.length, coordinator, scheme, names);
    }
    double decryptSeconds = seconds(t0);

    progress.step("checking against pooling the raw data in the clear");
    double[] clear = new double[SecurePooledStatistics.vectorLength(names.size())];
    for (LocalTable t : banks) {
      double[] s = SecurePooledStatistics.localSums(t);
      for (int k = 0; k < s.length; k++) {
        clear[k] += s[k];
      }
    }
    PooledStatistics reference = PooledStatistics.fromSums(clear, names);
    double maxError = 0;
    for (int j = 0; j < names.size(); j++) {
      FeatureStatistic a = pooled.features().get(j);
      FeatureStatistic b = reference.features().get(j);
      maxError = Math.max(maxError, Math.abs(a.mean() - b.mean()));
      maxError = Math.max(maxError, Math.abs(a.std() - b.std()));
      maxError = Math.max(maxError, Math.abs(a.labelCorrelation() - b.labelCorrelation()));
    }
    boolean countsMatch =
        pooled.rows() == reference.rows() && pooled.positives() == reference.positives();
    List<EncryptedVector> onTheWire = new ArrayList<>(sent);
    onTheWire.add(total);
    long unrandomised = onTheWire.stream().filter(v -> v.firstUnrandomised().isPresent()).count();
    int ciphertexts = onTheWire.stream().mapToInt(EncryptedVector::size).sum();
    boolean ok = countsMatch && maxError < 1e-6 && unrandomised == 0;
    double totalSeconds = seconds(start);
    progress.done();

    List<FeatureStatistic> ranked = new ArrayList<>(pooled.features());
    ranked.sort(
        Comparator.comparingDouble((FeatureStatistic f) -> -Math.abs(f.labelCorrelation())));
    if (json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("demo", "secure-pooled-statistics");
      r.put("banks", BANK_NAMES.length);
      r.put("rows", pooled.rows());
      r.put("default_rate", pooled.positiveRate());
      r.put("effective_crypto", key.publicKey().describe());
      r.put("kernel", options.kernel().describe());
      r.put("values_per_bank", SecurePooledStatistics.vectorLength(names.size()));
      r.put("slots_per_ciphertext", scheme.slots());
      r.put("slot_bits", scheme.slotBits());
      r.put("ciphertexts_on_wire", ciphertexts);
      r.put("unrandomised_ciphertexts", unrandomised);
      r.put("max_abs_error_vs_clear", maxError);
      r.put("bytes", bytes);
      r.put(
          "seconds",
          Map.of(
              "keygen",
              keygenSeconds,
              "encrypt",
              encryptSeconds,
              "aggregate",
              aggregateSeconds,
              "decrypt",
              decryptSeconds,
              "total",
              totalSeconds));
      List<Map<String, Object>> feats = new ArrayList<>();
      for (FeatureStatistic f : ranked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", f.name());
        m.put("uci_name", uciName(f.name()));
        m.put("mean", f.mean());
        m.put("std", f.std());
        m.put("correlation_with_default", f.labelCorrelation());
        feats.add(m);
      }
      r.put("features", feats);
      r.put("verified", ok);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
    } else {
      out.println();
      out.printf(
          Locale.ROOT,
          "Pooled over %,d loans at 3 banks: default rate %.2f%%%n",
          pooled.rows(),
          100 * pooled.positiveRate());
      out.println("Strongest default signals (Pearson correlation with default, pooled):");
      for (FeatureStatistic f : ranked.subList(0, 6)) {
        out.printf(Locale.ROOT, "  %-10s %+.3f%n", uciName(f.name()), f.labelCorrelation());
      }
      out.println();
      out.printf(
          Locale.ROOT,
          "Crypto:   %s, %s%n",
          key.publicKey().describe(),
          options.kernel().describe());
      out.printf(
          Locale.ROOT,
          "Packing:  %d values per bank in %d slots of %d bits per ciphertext%n",
          SecurePooledStatistics.vectorLength(names.size()),
          scheme.slots(),
          scheme.slotBits());
      out.printf(
          Locale.ROOT,
          "Traffic:  %,d bytes in %d messages (%d ciphertexts)%n",
          bytes.values().stream().mapToLong(Long::longValue).sum(),
          bytes.size(),
          ciphertexts);
      out.printf(
          Locale.ROOT,
          "Time:     %.2f s (key %.2f s, encrypt %.3f s, aggregate %.3f s, decrypt %.3f s)%n",
          totalSeconds,
          keygenSeconds,
          encryptSeconds,
          aggregateSeconds,
          decryptSeconds);
      out.printf(
          Locale.ROOT,
          "Checks:   equals pooling in the clear (max error %.1e): %s; every ciphertext"
              + " randomised: %s; coordinator saw only the total: yes%n",
          maxError,
          countsMatch && maxError < 1e-6 ? "yes" : "NO",
          unrandomised == 0 ? "yes" : "NO");
      out.println();
      out.println("Next: ./fedcredit bench paillier   (engine speed against javallier)");
    }
    return ok ? 0 : FedCredit.EXIT_FAILED;
  }

  private static String uciName(String column) {
    if (column.startsWith("x")) {
      try {
        int i = Integer.parseInt(column.substring(1));
        if (i >= 0 && i < UCI_NAMES.length) {
          return UCI_NAMES[i];
        }
      } catch (NumberFormatException e) {
        return column;
      }
    }
    return column;
  }

  private static Path defaultDataDir() {
    String home = System.getProperty("fedcredit.home");
    Path base = home != null ? Path.of(home) : Path.of("");
    return base.resolve("examples").resolve("default-credit");
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Numbered progress lines on stderr (silent with --json so stdout stays machine-readable). */
  private static final class Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private int n;
    private long started = System.nanoTime();

    Progress(PrintWriter err, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
    }

    void step(String what) {
      n++;
      if (!quiet) {
        err.printf(Locale.ROOT, "[%d/6 %5.1fs] %s%n", n, seconds(started), what);
        err.flush();
      }
    }

    void done() {
      if (!quiet) {
        err.printf(Locale.ROOT, "[done %5.1fs]%n", seconds(started));
      }
    }
  }
}
