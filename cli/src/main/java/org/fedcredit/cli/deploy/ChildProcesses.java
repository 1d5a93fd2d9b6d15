package org.fedcredit.cli.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JVM processes started from this one with the same class path (one per institution), each logging
 * to its own file. {@link #close} stops every process it started, and a shutdown hook does the same
 * if this JVM is interrupted, so no process is left behind.
 */
public final class ChildProcesses implements AutoCloseable {

  private final Map<String, Process> processes = new LinkedHashMap<>();

  /** Every process started, in start order: one started again under a name stays here. */
  private final List<Process> all = new ArrayList<>();

  private final Map<String, Path> logs = new LinkedHashMap<>();
  private final Thread hook = new Thread(this::stopAll, "stop-children");

  public ChildProcesses() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts {@code fedcredit <args>} as process {@code name}, output to {@code log}. */
  public synchronized Process start(String name, Path log, List<String> args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--add-opens=java.base/java.math=ALL-UNNAMED");
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseSerialGC");
    String home = System.getProperty("fedcredit.home");
    if (home != null) {
      cmd.add("-Dfedcredit.home=" + home);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.fedcredit.cli.FedCredit");
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    processes.put(name, p);
    all.add(p);
    logs.put(name, log);
    return p;
  }

  public Process get(String name) {
    return processes.get(name);
  }

  /** The last lines of a process's log, for error messages. */
  public String tail(String name, int lines) {
    Path log = logs.get(name);
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Whether every process this object started has ended. */
  public synchronized boolean allStopped() {
    return all.stream().noneMatch(Process::isAlive);
  }

  /**
   * Stops every process started (also one replaced by a later start under its name, which would
   * otherwise be left running), in the reverse order of their start, each before the next: the
   * nodes before the coordinator they report to (the bank's node sends its last decisions to the
   * coordinator's audit log as it stops).
   */
  private synchronized void stopAll() {
    List<Process> reverse = new ArrayList<>(all);
    java.util.Collections.reverse(reverse);
    for (Process p : reverse) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }
}
