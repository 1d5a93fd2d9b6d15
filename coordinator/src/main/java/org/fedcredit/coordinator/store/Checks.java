package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Argument checks shared by the store's records, so that bad values fail before any SQL runs. */
final class Checks {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private Checks() {}

  static String jobId(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException(
          "job id '"
              + jobId
              + "' is not valid; use 1 to 64 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit (e.g. job-20261126-ab12cd)");
    }
    return jobId;
  }

  /** A non-blank single-line text of at most {@code max} characters (ids, names, steps). */
  static String text(String value, String what, int max) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()
        || value.length() > max
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is not valid; use 1 to "
              + max
              + " characters on one line, not all blank");
    }
    return value;
  }

  static Optional<String> optionalText(Optional<String> value, String what, int max) {
    Objects.requireNonNull(value, what);
    value.ifPresent(v -> text(v, what, max));
    return value;
  }

  static String sha256Hex(String hex, String what) {
    Objects.requireNonNull(hex, what);
    String lower = hex.toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          what + " '" + hex + "' is not a SHA-256 digest; give 64 hexadecimal digits");
    }
    return lower;
  }

  /** Instants are kept to the microsecond, PostgreSQL's precision, so they survive a round trip. */
  static Instant micros(Instant instant, String what) {
    return Objects.requireNonNull(instant, what).truncatedTo(ChronoUnit.MICROS);
  }
}
