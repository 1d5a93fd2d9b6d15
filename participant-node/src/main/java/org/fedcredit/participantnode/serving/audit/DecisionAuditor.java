package org.fedcredit.participantnode.serving.audit;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.DecisionDigest;
import org.fedcredit.protocols.coordinator.v1.DecisionDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every decision the bank's node served to the coordinator's transparency log (issue 7:
 * "every decision served (model version, decision hash)"): the model's job and version, the SHA-256
 * of the decision's JSON exactly as stored and issued, and its time — never the applicant's data.
 *
 * <p>The decision store is the source: a background thread reads the decisions stored since its
 * cursor, in (decided-at, token) order, in batches of up to {@value #BATCH}, and sends their
 * digests in one {@code RecordDecisions} call. It reads only decisions at least {@link #SETTLE}
 * old, so a decision whose insert was still committing when a later one was read is not skipped. If
 * the coordinator is unreachable it retries the same batch with back-off; nothing is dropped. The
 * cursor is kept in a file (minus a margin of {@link #RESEND_MARGIN}), so after a restart or crash
 * the node resends from there; the coordinator logs a decision once whatever the number of reports.
 * On a clean stop (after the decision API has stopped) everything stored is sent.
 */
public final class DecisionAuditor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionAuditor.class);

  /** Most decisions per report. */
  public static final int BATCH = 500;

  /** Decisions younger than this are left for the next pass. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  /**
   * How far before its cursor a restarted auditor starts again, and how far back {@link #sweep}
   * looks for decisions that committed late.
   */
  static final Duration RESEND_MARGIN = Duration.ofSeconds(60);

  /** How often {@link #sweep} runs. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

  /** Tokens reported in the last two margins, with their decision time (for {@link #sweep}). */
  private final java.util.Map<String, Instant> sent =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final DecisionStore store;
  private final Path cursorFile;
  private final Clock clock;
  private final Duration every;
  private final AtomicLong recorded = new AtomicLong();
  private volatile Instant cursorAt;
  private volatile String cursorToken = "";
  private volatile boolean stopping;
  private volatile CoordinatorServiceGrpc.CoordinatorServiceBlockingStub coordinator;
  private Thread thread;
  private long lastWarning;

  /**
   * @param store the bank's decision store
   * @param cursorFile where the cursor is kept (created; its directory too)
   * @param clock time source
   * @param every pause between passes when there is nothing to send
   */
  public DecisionAuditor(DecisionStore store, Path cursorFile, Clock clock, Duration every) {
    this.store = store;
    this.cursorFile = cursorFile;
    this.clock = clock;
    this.every = every;
    this.cursorAt = readCursor(cursorFile);
  }

  /** Starts reporting to the coordinator over {@code channel}. */
  public synchronized void start(Channel channel) {
    if (thread != null) {
      throw new IllegalStateException("the decision auditor is already running");
    }
    coordinator = CoordinatorServiceGrpc.newBlockingStub(channel);
    thread = new Thread(this::run, "decision-audit");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sets the coordinator without starting the background thread (tests drive {@link #pass}). */
  void coordinatorForTest(Channel channel) {
    coordinator = CoordinatorServiceGrpc.newBlockingStub(channel);
  }

  /** Decisions the coordinator acknowledged since this node started. */
  public long recorded() {
    return recorded.get();
  }

  private void run() {
    long backoff = 1000;
    Instant nextSweep = clock.instant().plus(SWEEP_EVERY);
    while (!stopping) {
      try {
        int n = pass(clock.instant().minus(SETTLE));
        if (!clock.instant().isBefore(nextSweep)) {
          int late = sweep();
          if (late > 0) {
            LOG.info("reported {} decisions whose insert committed after later ones", late);
          }
          nextSweep = clock.instant().plus(SWEEP_EVERY);
        }
        backoff = 1000;
        if (n < BATCH) {
          sleep(every.toMillis());
        }
      } catch (StatusRuntimeException e) {
        warn("cannot report decisions to the coordinator's audit log (" + e.getStatus() + ")");
        sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      } catch (RuntimeException e) {
        warn("cannot report decisions to the coordinator's audit log: " + e.getMessage());
        sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /** Sends one batch of the decisions decided before {@code until}; returns how many. */
  int pass(Instant until) {
    List<DecisionStore.Written> batch = store.writtenAfter(cursorAt, cursorToken, BATCH);
    DecisionDigests.Builder b = DecisionDigests.newBuilder();
    DecisionStore.Written last = null;
    for (DecisionStore.Written w : batch) {
      if (!w.decidedAt().isBefore(until)) {
        break;
      }
      b.addDecisions(digest(w));
      last = w;
    }
    if (last == null) {
      return 0;
    }
    coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).recordDecisions(b.build());
    recorded.addAndGet(b.getDecisionsCount());
    for (DecisionStore.Written w : batch) {
      sent.put(w.token(), w.decidedAt());
      if (w == last) {
        break;
      }
    }
    cursorAt = last.decidedAt();
    cursorToken = last.token();
    forgetBefore(cursorAt.minus(RESEND_MARGIN).minus(RESEND_MARGIN));
    writeCursor();
    return b.getDecisionsCount();
  }

  /**
   * Looks again at the last {@link #RESEND_MARGIN} before the cursor and reports every decision
   * there that was not reported: one whose insert committed after the cursor had passed its
   * decision time (a database that stalled mid-insert). Reads tokens and hashes only; returns how
   * many it reported.
   */
  int sweep() {
    Instant from = cursorAt.minus(RESEND_MARGIN);
    Instant at = from;
    String token = "";
    DecisionDigests.Builder missed = DecisionDigests.newBuilder();
    List<DecisionStore.Written> found = new java.util.ArrayList<>();
    outer:
    while (true) {
      List<DecisionStore.Written> page = store.writtenAfter(at, token, BATCH);
      for (DecisionStore.Written w : page) {
        int c = w.decidedAt().compareTo(cursorAt);
        if (c > 0 || c == 0 && w.token().compareTo(cursorToken) > 0) {
          break outer; // past the cursor: the next pass reports it
        }
        if (!sent.containsKey(w.token())) {
          missed.addDecisions(digest(w));
          found.add(w);
        }
        at = w.decidedAt();
        token = w.token();
      }
      if (page.size() < BATCH) {
        break;
      }
    }
    if (found.isEmpty()) {
      return 0;
    }
    coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).recordDecisions(missed.build());
    recorded.addAndGet(found.size());
    found.forEach(w -> sent.put(w.token(), w.decidedAt()));
    return found.size();
  }

  private void forgetBefore(Instant t) {
    sent.values().removeIf(at -> at.isBefore(t));
  }

  /** The digest the audit log records for a stored decision. */
  public static DecisionDigest digest(DecisionStore.Written w) {
    return DecisionDigest.newBuilder()
        .setModelJob(w.modelJob())
        .setModelVersion(w.modelVersion())
        .setDecisionSha256(w.sha256())
        .setDecidedAtMs(w.decidedAt().toEpochMilli())
        .build();
  }

  /**
   * Stops: call after the decision API has stopped. Sends what is stored (for up to {@code
   * patience}) and keeps the cursor.
   */
  public void close(Duration patience) {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (coordinator == null) {
      return; // never started: the next start sends what is stored
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Instant deadline = clock.instant().plus(patience);
    try {
      while (clock.instant().isBefore(deadline) && pass(Instant.MAX) == BATCH) {
        // more to send
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "decisions after {} are not yet in the coordinator's audit log ({}); the node sends"
              + " them when it starts again",
          cursorAt,
          e.getMessage());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private void warn(String message) {
    long now = System.nanoTime();
    if (now - lastWarning > TimeUnit.MINUTES.toNanos(1) || lastWarning == 0) {
      LOG.warn("{}; retrying (decisions stay in the store until reported)", message);
      lastWarning = now;
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // stopping
    }
  }

  private static Instant readCursor(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException | java.time.format.DateTimeParseException e) {
      LOG.warn("{} is unreadable ({}); resending every stored decision", file, e.getMessage());
    }
    return Instant.EPOCH;
  }

  private void writeCursor() {
    try {
      Files.createDirectories(cursorFile.toAbsolutePath().getParent());
      Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
      Instant keep = cursorAt.minus(RESEND_MARGIN);
      Files.writeString(
          tmp,
          (keep.isBefore(Instant.EPOCH) ? Instant.EPOCH : keep) + "\n",
          StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, cursorFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot keep the audit cursor in {}: {}", cursorFile, e.getMessage());
    }
  }
}
