package org.fedcredit.bench.paillier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The outcome of one {@link PaillierBenchmark} run: the median of every op, implementation and
 * thread count, the speed-ups, and the check against issue 2's targets. Renders as JSON ({@link
 * #toJson}) or as an aligned table ({@link #toTable}).
 *
 * @param config what was run
 * @param kernel FedCredit's modular kernel, as in the engine's effective parameters
 * @param java {@code java.version}
 * @param cores available processors
 * @param javallierModPow where javallier's modPow ran (GMP or BigInteger)
 * @param results one entry per op, implementation and thread count
 */
public record PaillierBenchReport(
    PaillierBenchmark.Config config,
    String kernel,
    String java,
    int cores,
    String javallierModPow,
    List<Measurement> results) {

  public PaillierBenchReport {
    results = List.copyOf(results);
  }

  /**
   * FedCredit over javallier for one op and thread count: ratio of rates, or inverse ratio of µs
   * per term, so above 1 always means FedCredit is faster.
   */
  public record Speedup(Op op, int threads, double fedcreditOverJavallier) {}

  /** MET, NOT MET, or not measured (e.g. with {@code --threads 2} only). */
  public enum Verdict {
    MET("MET"),
    NOT_MET("NOT MET"),
    NOT_MEASURED("not measured");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One target of issue 2 and how this run fared. */
  public record TargetCheck(String target, String measured, Verdict verdict) {}

  /** The measurement of {@code op} by {@code impl} at {@code threads}, if it was run. */
  public Optional<Measurement> find(Op op, Implementation impl, int threads) {
    return results.stream()
        .filter(m -> m.op() == op && m.impl() == impl && m.threads() == threads)
        .findFirst();
  }

  public List<Speedup> speedups() {
    List<Speedup> out = new ArrayList<>();
    for (Op op : Op.values()) {
      for (int t : config.threads()) {
        Optional<Measurement> ours = find(op, Implementation.FEDCREDIT, t);
        Optional<Measurement> theirs = find(op, Implementation.JAVALLIER, t);
        if (ours.isPresent() && theirs.isPresent()) {
          double a = ours.get().value();
          double b = theirs.get().value();
          out.add(new Speedup(op, t, op.perTerm() ? b / a : a / b));
        }
      }
    }
    return out;
  }

  /**
   * Issue 2's targets at n = 2048, one thread unless stated: public-key encryption ≥ 9,000/s and ≥
   * 60× javallier, key-owner encryption ≥ 12,000/s, decryption ≥ 450/s, addition ≥ 250,000/s,
   * Xᵀ·[[d]] ≤ 10 µs/term (16-bit) and ≤ 25 µs/term (53-bit), and 2 threads ≥ 1.8× one thread for
   * every op. Empty for other key sizes, where the targets do not apply.
   */
  public List<TargetCheck> targets() {
    if (config.keyBits() != 2048) {
      return List.of();
    }
    List<TargetCheck> out = new ArrayList<>();
    out.add(rate("public-key encryption ≥ 9,000/s", Op.ENCRYPT, v -> v >= 9_000));
    Optional<Speedup> encryptSpeedup =
        speedups().stream().filter(s -> s.op() == Op.ENCRYPT && s.threads() == 1).findFirst();
    out.add(
        encryptSpeedup
            .map(
                s ->
                    new TargetCheck(
                        "public-key encryption ≥ 60× javallier",
                        formatRatio(s.fedcreditOverJavallier()),
                        s.fedcreditOverJavallier() >= 60 ? Verdict.MET : Verdict.NOT_MET))
            .orElse(notMeasured("public-key encryption ≥ 60× javallier")));
    out.add(rate("key-owner encryption ≥ 12,000/s", Op.ENCRYPT_OWNER, v -> v >= 12_000));
    out.add(rate("decryption ≥ 450/s", Op.DECRYPT, v -> v >= 450));
    out.add(rate("addition ≥ 250,000/s", Op.ADD, v -> v >= 250_000));
    out.add(rate("Xᵀ·[[d]] 16-bit ≤ 10 µs/term", Op.MULTIEXP16, v -> v <= 10));
    out.add(rate("Xᵀ·[[d]] 53-bit ≤ 25 µs/term", Op.MULTIEXP53, v -> v <= 25));
    for (Op op : Op.values()) {
      String target = "2 threads ≥ 1.8× one thread: " + op.jsonName();
      Optional<Measurement> one = find(op, Implementation.FEDCREDIT, 1);
      Optional<Measurement> two = find(op, Implementation.FEDCREDIT, 2);
      if (one.isEmpty() || two.isEmpty()) {
        out.add(notMeasured(target));
        continue;
      }
      double scaling =
          op.perTerm()
              ? one.get().value() / two.get().value()
              : two.get().value() / one.get().value();
      out.add(
          new TargetCheck(
              target, formatRatio(scaling), scaling >= 1.8 ? Verdict.MET : Verdict.NOT_MET));
    }
    return out;
  }

  private TargetCheck rate(String target, Op op, DoublePredicate met) {
    return find(op, Implementation.FEDCREDIT, 1)
        .map(
            m ->
                new TargetCheck(
                    target,
                    formatValue(op, m.value()),
                    met.test(m.value()) ? Verdict.MET : Verdict.NOT_MET))
        .orElse(notMeasured(target));
  }

  private static TargetCheck notMeasured(String target) {
    return new TargetCheck(target, "-", Verdict.NOT_MEASURED);
  }

  /**
   * {@code {"key_bits", "kernel", "java", "cores", "results": [{"op", "impl", "threads",
   * "ops_per_s" | "us_per_term", "note"?}], "speedup": [{"op", "threads",
   * "fedcredit_over_javallier"}]}}.
   */
  public String toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("key_bits", config.keyBits());
    root.put("kernel", kernel);
    root.put("java", java);
    root.put("cores", cores);
    ArrayNode rs = root.putArray("results");
    for (Measurement m : results) {
      ObjectNode r = rs.addObject();
      r.put("op", m.op().jsonName());
      r.put("impl", m.impl().jsonName());
      r.put("threads", m.threads());
      if (m.op().perTerm()) {
        r.put("us_per_term", round(m.value(), 3));
      } else {
        r.put("ops_per_s", round(m.value(), 1));
      }
      m.note().ifPresent(n -> r.put("note", n));
    }
    ArrayNode ss = root.putArray("speedup");
    for (Speedup s : speedups()) {
      ObjectNode o = ss.addObject();
      o.put("op", s.op().jsonName());
      o.put("threads", s.threads());
      o.put("fedcredit_over_javallier", round(s.fedcreditOverJavallier(), 2));
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the report as JSON", e);
    }
  }

  /** A readable table: one line per op and thread count, notes, then the targets. */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    var sizes = config.sizes();
    sb.append(
        String.format(
            Locale.ROOT,
            "Paillier, n = %d bits: FedCredit (%s) vs javallier 0.6.0 (modPow: %s)%n",
            config.keyBits(),
            kernel,
            javallierModPow));
    sb.append(
        String.format(
            Locale.ROOT,
            "Java %s, %d cores; %d warm-up + %d measured rounds, interleaved, median; every round"
                + " checked by decryption%n",
            java,
            cores,
            config.warmupRounds(),
            config.rounds()));
    sb.append(
        String.format(
            Locale.ROOT,
            "Batches fedcredit/javallier: encrypt %s, decrypt %s, add %s, mul16 %s, Xᵀ·[[d]] %s"
                + " rows × %d columns%n%n",
            sizes.encrypt(),
            sizes.decrypt(),
            sizes.add(),
            sizes.mul16(),
            sizes.multiexpRows(),
            sizes.multiexpColumns()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-24s %7s  %16s  %16s  %9s%n",
            "op",
            "threads",
            "fedcredit",
            "javallier",
            "speedup"));
    List<String> notes = new ArrayList<>();
    for (Speedup s : speedups()) {
      Measurement ours = find(s.op(), Implementation.FEDCREDIT, s.threads()).orElseThrow();
      Measurement theirs = find(s.op(), Implementation.JAVALLIER, s.threads()).orElseThrow();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-24s %7d  %16s  %16s  %9s%n",
              s.op().jsonName(),
              s.threads(),
              formatValue(s.op(), ours.value()),
              formatValue(s.op(), theirs.value()),
              formatRatio(s.fedcreditOverJavallier())));
      for (Measurement m : List.of(ours, theirs)) {
        m.note()
            .map(n -> m.impl().jsonName() + " " + m.op().jsonName() + ": " + n)
            .filter(n -> !notes.contains(n))
            .ifPresent(notes::add);
      }
    }
    sb.append(
        String.format(
            "(speedup = fedcredit over javallier; above 1× FedCredit is faster. Rates are"
                + " operations per second, matrix products µs per term = time / (N·d).)%n"));
    if (!notes.isEmpty()) {
      sb.append(String.format("%nNotes:%n"));
      for (String n : notes) {
        sb.append("  ").append(n).append(String.format("%n"));
      }
    }
    List<TargetCheck> targets = targets();
    if (targets.isEmpty()) {
      sb.append(
          String.format(
              "%nIssue 2's targets are stated for n = 2048 bits; not checked at %d.%n",
              config.keyBits()));
    } else {
      long met = targets.stream().filter(t -> t.verdict() == Verdict.MET).count();
      sb.append(
          String.format(
              Locale.ROOT,
              "%nTargets (issue 2, n = 2048, one thread unless stated): %d of %d MET%n",
              met,
              targets.size()));
      for (TargetCheck t : targets) {
        sb.append(
            String.format(
                Locale.ROOT, "  %-44s %16s  %s%n", t.target(), t.measured(), t.verdict().label()));
      }
    }
    return sb.toString();
  }

  static String formatValue(Op op, double value) {
    if (op.perTerm()) {
      return String.format(Locale.ROOT, "%,.2f µs/term", value);
    }
    return String.format(Locale.ROOT, value >= 100 ? "%,.0f /s" : "%,.1f /s", value);
  }

  private static String formatRatio(double ratio) {
    return String.format(Locale.ROOT, ratio >= 10 ? "%,.1f×" : "%.2f×", ratio);
  }

  private static BigDecimal round(double value, int decimals) {
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN);
  }
}
