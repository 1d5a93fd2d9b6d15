package org.fedcredit.transport.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of Prometheus text-format output, the way a scraper would. */
final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {}

  /**
   * The value of the sample named {@code name} whose labels include all of {@code labels}, if the
   * text has exactly one such sample.
   */
  static Optional<Double> value(String text, String name, Map<String, String> labels) {
    Double found = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> actual = labels(m.group(2));
      if (actual.entrySet().containsAll(labels.entrySet())) {
        if (found != null) {
          throw new AssertionError("more than one sample " + name + labels + " in:\n" + text);
        }
        found = Double.parseDouble(m.group(3));
      }
    }
    return Optional.ofNullable(found);
  }

  private static Map<String, String> labels(String group) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (group != null) {
      Matcher m = LABEL.matcher(group);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
    }
    return labels;
  }
}
