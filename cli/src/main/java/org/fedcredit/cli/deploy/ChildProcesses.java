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

  /**
   * Environment variable with extra JVM options for every child process, separated by spaces (for
   * example a profiler's {@code -agentpath:…}); the launcher's own {@code FEDCREDIT_JAVA_OPTS}
   * applies only to the parent JVM.
   */
  public static final String CHILD_JAVA_OPTS = "FEDCREDIT_CHILD_JAVA_OPTS";

  private final Map<String, Process> processes = new LinkedHashMap<>();

  /** Every process started, in start order: one started again under a name stays here. */
  private final List<Process> all = new ArrayList<>();

  private final Map<String, Path> logs = new LinkedHashMap<>();
  private final Thread hook = new Thread(this::stopAll, "stop-children");

  /**
   * The JVM options of a small deployment on one machine (the demo, the tests): several JVMs share
   * two cores and the memory, so each gets a 1 GiB heap and the serial collector.
   */
  public static final List<String> SHARED_MACHINE = List.of("-Xmx1g", "-XX:+UseSerialGC");

  /**
   * No JVM options: the JVM's own choices (on a server-class machine the G1 collector and a heap of
   * up to a quarter of the memory), as the {@code fedcredit} launcher starts a node in production.
   */
  public static final List<String> AS_LAUNCHED = List.of();

  private final List<String> jvmOptions;

  /** Children with the options {@link #SHARED_MACHINE}. */
  public ChildProcesses() {
    this(SHARED_MACHINE);
  }

  /**
   * @param defaults JVM options for every child; a heap size or collector chosen in {@value
   *     #CHILD_JAVA_OPTS} replaces the one given here
   */
  public ChildProcesses(List<String> defaults) {
    this.jvmOptions = jvmOptions(defaults, extraJvmOptions(System.getenv(CHILD_JAVA_OPTS)));
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The largest niceness Linux gives (the lowest CPU priority). */
  public static final int MAX_NICE = 19;

  /** Starts {@code fedcredit <args>} as process {@code name}, output to {@code log}. */
  public Process start(String name, Path log, List<String> args) throws IOException {
    return start(name, log, args, 0);
  }

  /**
   * Starts {@code fedcredit <args>} as process {@code name}, output to {@code log}, at CPU niceness
   * {@code nice} (0: as this process; 1-19: lower priority, through the {@code nice} command, which
   * replaces itself with the JVM so that the process is the JVM's).
   */
  public synchronized Process start(String name, Path log, List<String> args, int nice)
      throws IOException {
    if (nice < 0 || nice > MAX_NICE) {
      throw new IllegalArgumentException("niceness must be 0-" + MAX_NICE + ", not " + nice);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    if (nice > 0) {
      cmd.add(niceCommand());
      cmd.add("-n");
      cmd.add(Integer.toString(nice));
    }
    cmd.add(java);
    cmd.add("--add-opens=java.base/java.math=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
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

  private static String niceCommand() {
    for (String c : List.of("/usr/bin/nice", "/bin/nice")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "starting a process at a lower CPU priority needs the nice command (coreutils), found in"
            + " neither /usr/bin nor /bin; install coreutils or ask for niceness 0");
  }

  /** The JVM options every child gets (the defaults as {@value #CHILD_JAVA_OPTS} amends them). */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /**
   * A child's JVM options: {@code defaults}, less a heap size or collector that {@code extra}
   * chooses itself, then {@code extra}.
   */
  static List<String> jvmOptions(List<String> defaults, List<String> extra) {
    boolean heap = extra.stream().anyMatch(ChildProcesses::heapSize);
    boolean gc = extra.stream().anyMatch(ChildProcesses::collector);
    List<String> cmd = new ArrayList<>();
    for (String o : defaults) {
      if (!(heap && heapSize(o)) && !(gc && collector(o))) {
        cmd.add(o);
      }
    }
    cmd.addAll(extra);
    return List.copyOf(cmd);
  }

  private static boolean heapSize(String option) {
    return option.startsWith("-Xmx") || option.startsWith("-XX:MaxRAMPercentage");
  }

  private static boolean collector(String option) {
    return option.matches("-XX:\\+Use[A-Za-z0-9]*GC");
  }

  /** The options of {@link #CHILD_JAVA_OPTS}: words separated by white space, none if unset. */
  static List<String> extraJvmOptions(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.trim().split("\\s+"));
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
