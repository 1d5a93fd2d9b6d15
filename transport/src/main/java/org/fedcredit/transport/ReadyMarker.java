package org.fedcredit.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * {@code ready.json} in a running node's or coordinator's work directory: written atomically once
 * the process serves (and, for a node, has registered), removed when it stops. Scripts, the demo
 * and {@code fedcredit node approve} read the port from it.
 */
public final class ReadyMarker {

  /** The file name inside the work directory. */
  public static final String FILE = "ready.json";

  private static final Pattern PORT = Pattern.compile("\"port\"\\s*:\\s*(\\d+)");

  private ReadyMarker() {}

  /** Writes {@code {"party":..,"port":..,"pid":..}} atomically. */
  public static void write(Path workDir, PartyId party, int port) {
    Path ready = workDir.resolve(FILE);
    try {
      Path tmp = Files.createTempFile(workDir, ".ready", ".tmp");
      Files.writeString(
          tmp,
          "{\"party\":\""
              + party
              + "\",\"port\":"
              + port
              + ",\"pid\":"
              + ProcessHandle.current().pid()
              + "}\n",
          StandardCharsets.UTF_8);
      Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + ready + ": " + e.getMessage(), e);
    }
  }

  /** Removes the marker (the process is stopping); a missing one is fine. */
  public static void remove(Path workDir) {
    try {
      Files.deleteIfExists(workDir.resolve(FILE));
    } catch (IOException e) {
      // only a marker: a stale one names a port nobody listens on, which callers report
    }
  }

  /** The port the process with {@code workDir} listens on, if it is running. */
  public static Optional<Integer> port(Path workDir) {
    try {
      Matcher m = PORT.matcher(Files.readString(workDir.resolve(FILE)));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
