package org.fedcredit.coordinator.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A job as submitted: what {@link CoordinatorStore#createJob} needs. The spec is stored verbatim
 * (the YAML text the submitter sent), so the job can be reproduced from the store alone.
 *
 * @param jobId unique id, e.g. from {@link #newJobId(Instant)}
 * @param name human-readable job name from the spec
 * @param algorithm algorithm name from the spec ({@code vertical-lr}, ...)
 * @param submitter party (certificate subject) that submitted the job
 * @param specYaml the job spec exactly as submitted
 * @param parties the parties that must accept the job; each starts as {@code PENDING}
 */
public record JobSubmission(
    String jobId,
    String name,
    String algorithm,
    String submitter,
    String specYaml,
    List<String> parties) {
  /** Longest spec the store keeps: H2 holds at most 1,000,000 characters in a text column. */
  public static final int MAX_SPEC_CHARS = 1_000_000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  public JobSubmission {
    Checks.jobId(jobId);
    Checks.text(name, "job name", 255);
    Checks.text(algorithm, "algorithm", 64);
    Checks.text(submitter, "submitter", 255);
    Objects.requireNonNull(specYaml, "specYaml");
    if (specYaml.length() > MAX_SPEC_CHARS) {
      throw new IllegalArgumentException(
          "the spec of job "
              + jobId
              + " has "
              + specYaml.length()
              + " characters; the store keeps at most "
              + MAX_SPEC_CHARS
              + " (H2's limit), so move bulky data out of the spec");
    }
    parties = List.copyOf(parties);
    parties.forEach(p -> Checks.text(p, "party id", 255));
    if (new LinkedHashSet<>(parties).size() != parties.size()) {
      throw new IllegalArgumentException(
          "job " + jobId + " lists a party twice: " + parties + "; list each party once");
    }
  }

  /**
   * A fresh job id {@code job-<yyyyMMdd in UTC>-<6 random hex digits>}, e.g. job-20261126-ab12cd.
   */
  public static String newJobId(Instant now) {
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return "job-" + DAY.format(now) + "-" + HexFormat.of().formatHex(random);
  }
}
