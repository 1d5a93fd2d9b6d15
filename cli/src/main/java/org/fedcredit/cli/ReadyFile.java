package org.fedcredit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code ready.json} a running node or coordinator writes into its work directory. */
final class ReadyFile {
  private static final Pattern PORT = Pattern.compile("\"port\"\\s*:\\s*(\\d+)");

  private ReadyFile() {}

  /** The port the process in {@code workDir} listens on, if it is running. */
  static Optional<Integer> port(Path workDir) {
    try {
      Matcher m = PORT.matcher(Files.readString(workDir.resolve("ready.json")));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
