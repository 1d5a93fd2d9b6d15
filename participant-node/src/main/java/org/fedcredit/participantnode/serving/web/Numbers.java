package org.fedcredit.participantnode.serving.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers and times read on the pages: the same digits in every language. */
final class Numbers {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'xxx", Locale.ROOT);

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private Numbers() {}

  /** Scorecard points, rounded to whole points. */
  static String points(double score) {
    return Long.toString(Math.round(score));
  }

  /** A probability as a percentage with one decimal, e.g. {@code 39.4%}. */
  static String percent(double probability) {
    return BigDecimal.valueOf(probability * 100).setScale(1, RoundingMode.HALF_EVEN).toPlainString()
        + "%";
  }

  /** A characteristic's value: at most 2 decimals, no trailing zeros, no exponent. */
  static String value(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  /** A time in {@code zone}, to the second, without the zone (for tables that name it once). */
  static String localTime(Instant at, ZoneId zone) {
    return LOCAL_TIME.format(at.atZone(zone));
  }

  /**
   * The zone's name for a column header: {@code UTC}, {@code UTC+08:00} or {@code Asia/Shanghai}.
   */
  static String zoneName(ZoneId zone) {
    if (zone instanceof java.time.ZoneOffset offset) {
      return offset.getTotalSeconds() == 0 ? "UTC" : "UTC" + offset.getId();
    }
    return zone.getId();
  }

  /** A time in {@code zone}, to the second, with its offset. */
  static String time(Instant at, ZoneId zone) {
    return TIME.format(at.atZone(zone));
  }
}
