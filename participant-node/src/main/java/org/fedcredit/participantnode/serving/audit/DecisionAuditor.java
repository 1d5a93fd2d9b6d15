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
import org.fedcredit.participantnode.serving.Decision;
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
 * <p>Two sources, one log. <b>Live:</b> the decision engine hands every decision to {@link #stored}
 * once its insert has committed; a background thread sends what has queued every {@code every}, up
 * to {@value #BATCH} digests per {@code RecordDecisions} call, the hash is the one the store
 * computed. The store is not read again for them (reading decisions back cost the node a row read
 * per decision and, every 30 s, a burst of page reads from disk that showed in the latency tail).
 * <b>Catch-up, from the store:</b> when the auditor starts, it first reads the decisions stored
 * since its cursor file, in (decided-at, token) order, up to the moment it started listening, and
 * then once looks again at the last {@link #RESEND_MARGIN} for one whose insert committed late
 * ({@link #sweep}). The same catch-up runs again if the coordinator stays unreachable so long that
 * more than {@code maxQueued} decisions wait (the queue is dropped: the store keeps them all).
 *
 * <p>If the coordinator is unreachable the same batch is retried with back-off; nothing is dropped.
 * The cursor is kept in a file (minus a margin of {@link #RESEND_MARGIN}), so after a restart or
 * crash the node resends from there; the coordinator logs a decision once whatever the number of
 * reports, and a token reported in the last two margins is not sent again by this process. On a
 * clean stop (after the decision API has stopped) everything stored is sent.
 */
public final class DecisionAuditor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionAuditor.class);

  /** Most decisions per report. */
  public static final int BATCH = 500;

  /**
   * How far before its cursor a restarted auditor starts again, and how far back {@link #sweep}
   * looks for decisions that committed late.
   */
  static final Duration RESEND_MARGIN = Duration.ofSeconds(60);

  /** Decisions waiting in memory at most; beyond, the queue is dropped and the store re-read. */
  static final int MAX_QUEUED = 10_000;

  /** Tokens reported in the last two margins, with their decision time. */
  private final java.util.Map<String, Instant> sent =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.Queue<DecisionStore.Written> queue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger queued =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean overflowed;
  private final int maxQueued;

  /** A batch that failed to send, sent again first. */
  private List<DecisionStore.Written> retry;

  private final DecisionStore store;
  private final Path cursorFile;
  private final Clock clock;
  private final Duration every;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong storeReads = new AtomicLong();
  private volatile Instant cursorAt;
  private volatile String cursorToken = "";

  /** While not null, the store is read up to this instant before the queue is sent. */
  private volatile Instant catchUpUntil;

  private volatile boolean stopping;
  private final Object wake = new Object();
  private volatile CoordinatorServiceGrpc.CoordinatorServiceBlockingStub coordinator;
  private Thread thread;
  private long lastWarning;

  /**
   * @param store the bank's decision store
   * @param cursorFile where the cursor is kept (created; its directory too)
   * @param clock time source
   * @param every pause between reports when fewer than a batch are waiting
   */
  public DecisionAuditor(DecisionStore store, Path cursorFile, Clock clock, Duration every) {
    this(store, cursorFile, clock, every, MAX_QUEUED);
  }

  DecisionAuditor(
      DecisionStore store, Path cursorFile, Clock clock, Duration every, int maxQueued) {
    this.store = store;
    this.cursorFile = cursorFile;
    this.clock = clock;
    this.every = every;
    this.maxQueued = maxQueued;
    this.cursorAt = readCursor(cursorFile);
    this.catchUpUntil = clock.instant();
  }

  /**
   * A decision whose insert has committed, with its JSON exactly as stored (and its hash): queued
   * for the next report. Cheap and non-blocking (called on the request path).
   */
  public void stored(Decision d, DecisionStore.Stored json) {
    if (overflowed) {
      return; // the store is re-read from the cursor
    }
    if (queued.incrementAndGet() > maxQueued) {
      overflowed = true;
      return;
    }
    queue.add(
        new DecisionStore.Written(
            d.token(), d.decidedAt(), d.model().job(), d.model().version(), json.sha256()));
  }

  /**
   * Starts reporting to the coordinator over {@code channel}. Whoever stores decisions must already
   * hand them to {@link #stored}: what was stored before this moment is read from the store.
   */
  public synchronized void start(Channel channel) {
    if (thread != null) {
      throw new IllegalStateException("the decision auditor is already running");
    }
    catchUpUntil = clock.instant();
    coordinator = CoordinatorServiceGrpc.newBlockingStub(channel);
    thread = new Thread(this::run, "decision-audit");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sets the coordinator without starting the background thread (tests drive {@link #step}). */
  void coordinatorForTest(Channel channel) {
    coordinator = CoordinatorServiceGrpc.newBlockingStub(channel);
  }

  /** Decisions the coordinator acknowledged since this node started. */
  public long recorded() {
    return recorded.get();
  }

  /** Whether the catch-up from the store is done (then only the queue is sent). */
  boolean caughtUp() {
    return catchUpUntil == null;
  }

  /** Reads of the decision store so far (catch-up and sweep pages), for tests and diagnostics. */
  long storeReads() {
    return storeReads.get();
  }

  private void run() {
    long backoff = 1000;
    while (!stopping) {
      try {
        int n = step();
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

  /**
   * One step of the background thread: a page of catch-up from the store while one is due (finished
   * by a {@link #sweep}), else one report of queued decisions. Returns how many decisions it
   * handled.
   */
  synchronized int step() {
    if (overflowed) {
      // The coordinator was away so long that the queue filled: start again from the store.
      LOG.warn(
          "more than {} decisions wait for the coordinator's audit log; reading them from the"
              + " decision store instead",
          maxQueued);
      queue.clear();
      retry = null;
      queued.set(0);
      cursorAt = cursorAt.minus(RESEND_MARGIN);
      cursorToken = "";
      catchUpUntil = clock.instant();
      overflowed = false;
    }
    Instant until = catchUpUntil;
    if (until != null) {
      int n = pass(until);
      if (n < BATCH) {
        int late = sweep();
        if (late > 0) {
          LOG.info("reported {} decisions whose insert committed after later ones", late);
        }
        catchUpUntil = null;
      }
      return n;
    }
    return drain();
  }

  /** Sends up to one batch of the queued decisions; returns how many were sent. */
  synchronized int drain() {
    List<DecisionStore.Written> batch = retry;
    if (batch == null) {
      batch = new java.util.ArrayList<>();
      for (DecisionStore.Written w; batch.size() < BATCH && (w = queue.poll()) != null; ) {
        queued.decrementAndGet();
        if (!sent.containsKey(w.token())) {
          batch.add(w);
        }
      }
      if (batch.isEmpty()) {
        return 0;
      }
      retry = batch;
    }
    report(batch);
    retry = null;
    Instant newest = cursorAt;
    for (DecisionStore.Written w : batch) {
      if (w.decidedAt().isAfter(newest)) {
        newest = w.decidedAt();
      }
    }
    if (newest.isAfter(cursorAt)) {
      cursorAt = newest;
      cursorToken = "";
      forgetBefore(cursorAt.minus(RESEND_MARGIN).minus(RESEND_MARGIN));
      writeCursor();
    }
    return batch.size();
  }

  /**
   * Sends one batch of the stored decisions after the cursor that were decided before {@code
   * until}, except those this process already reported; returns how many it read (sent or skipped).
   */
  synchronized int pass(Instant until) {
    storeReads.incrementAndGet();
    List<DecisionStore.Written> batch = store.writtenAfter(cursorAt, cursorToken, BATCH);
    List<DecisionStore.Written> sending = new java.util.ArrayList<>();
    DecisionStore.Written last = null;
    int read = 0;
    for (DecisionStore.Written w : batch) {
      if (!w.decidedAt().isBefore(until)) {
        break;
      }
      read++;
      last = w;
      if (!sent.containsKey(w.token())) {
        sending.add(w);
      }
    }
    if (last == null) {
      return 0;
    }
    if (!sending.isEmpty()) {
      report(sending);
    }
    cursorAt = last.decidedAt();
    cursorToken = last.token();
    forgetBefore(cursorAt.minus(RESEND_MARGIN).minus(RESEND_MARGIN));
    writeCursor();
    return read;
  }

  /**
   * Looks again at the last {@link #RESEND_MARGIN} before the cursor and reports every decision
   * there that was not reported: one whose insert committed after the cursor had passed its
   * decision time (a database that stalled mid-insert, or a crash before it was reported). Reads
   * tokens and hashes only; returns how many it reported.
   */
  synchronized int sweep() {
    Instant from = cursorAt.minus(RESEND_MARGIN);
    Instant at = from;
    String token = "";
    List<DecisionStore.Written> found = new java.util.ArrayList<>();
    outer:
    while (true) {
      storeReads.incrementAndGet();
      List<DecisionStore.Written> page = store.writtenAfter(at, token, BATCH);
      for (DecisionStore.Written w : page) {
        int c = w.decidedAt().compareTo(cursorAt);
        if (c > 0 || c == 0 && w.token().compareTo(cursorToken) > 0) {
          break outer; // past the cursor: the next pass reports it
        }
        if (!sent.containsKey(w.token())) {
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
    report(found);
    return found.size();
  }

  /**
   * Sends {@code decisions}' digests in one {@code RecordDecisions} call; once acknowledged they
   * count as recorded and are not sent again by this process.
   */
  private void report(List<DecisionStore.Written> decisions) {
    DecisionDigests.Builder b = DecisionDigests.newBuilder();
    decisions.forEach(w -> b.addDecisions(digest(w)));
    coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).recordDecisions(b.build());
    recorded.addAndGet(decisions.size());
    decisions.forEach(w -> sent.put(w.token(), w.decidedAt()));
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
      // Woken, not interrupted: a report in flight completes (or meets its deadline), so it is
      // neither lost nor sent twice.
      synchronized (wake) {
        wake.notifyAll();
      }
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Instant deadline = clock.instant().plus(patience);
    try {
      while (clock.instant().isBefore(deadline)) {
        int n = drain();
        if (retry == null && n < BATCH) {
          break; // the queue is empty
        }
      }
      while (clock.instant().isBefore(deadline) && pass(Instant.MAX) == BATCH) {
        // more stored (catch-up not finished, or the queue was dropped)
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

  /** Waits {@code millis}, or until {@link #close} wakes the thread. */
  private void sleep(long millis) {
    synchronized (wake) {
      if (stopping) {
        return;
      }
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
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
