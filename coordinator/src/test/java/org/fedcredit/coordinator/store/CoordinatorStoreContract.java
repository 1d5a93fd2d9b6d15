package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedcredit.coordinator.store.JobState.APPROVED;
import static org.fedcredit.coordinator.store.JobState.CANCELLED;
import static org.fedcredit.coordinator.store.JobState.FAILED;
import static org.fedcredit.coordinator.store.JobState.REJECTED;
import static org.fedcredit.coordinator.store.JobState.RUNNING;
import static org.fedcredit.coordinator.store.JobState.SUBMITTED;
import static org.fedcredit.coordinator.store.JobState.SUCCEEDED;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every coordinator store must have. Each database gets a subclass that says how to
 * make an empty database and an unreachable one; every test here runs on each of them.
 */
abstract class CoordinatorStoreContract {
  static final Instant T0 = Instant.parse("2026-11-26T09:00:00.123456Z");
  static final String HASH_A = "a".repeat(64);
  static final String HASH_B = "0123456789abcdef".repeat(4);

  /** A store configuration for a new, empty database (or schema). */
  protected abstract StoreConfig emptyDatabase();

  /** A store configuration that cannot be opened because the database cannot be reached. */
  protected abstract StoreConfig unreachableDatabase();

  protected StoreConfig config;
  protected CoordinatorStore store;

  @BeforeEach
  void openEmptyStore() {
    config = emptyDatabase();
    store = CoordinatorStore.open(config, new TickingClock(T0));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ------------------------------------------------------------------------------- migrations

  @Test
  void migrationsCreateEveryTableOnAnEmptyDatabaseAndReopeningAppliesNothing() throws Exception {
    store.close();
    assertThat(appliedMigrations()).containsExactly("1", "2", "3", "4");
    for (String table :
        List.of(
            "parties",
            "jobs",
            "job_events",
            "job_party_decisions",
            "models",
            "model_shards",
            "translog_entries",
            "translog_nodes",
            "translog_checkpoints",
            "audit_index",
            "translog_cosignatures")) {
      assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }

    store = CoordinatorStore.open(config);
    store.close();
    store = CoordinatorStore.open(config);

    assertThat(appliedMigrations()).containsExactly("1", "2", "3", "4");
  }

  @Test
  void closingAndReopeningKeepsPartiesJobsEventsDecisionsAndModels() {
    store.registerParty(party("bank-a", "10.0.0.1:7443", HASH_A));
    store.heartbeat("bank-a", T0.plusSeconds(30));
    JobRecord job = store.createJob(submission("job-20261126-ab12cd", "bank-a", "telco-b"));
    store.recordDecision(job.jobId(), "bank-a", PartyDecision.Decision.ACCEPTED, Optional.empty());
    store.recordDecision(
        job.jobId(), "telco-b", PartyDecision.Decision.ACCEPTED, Optional.of("policy p-7 allows"));
    store.transition(job.jobId(), JobTransition.to(APPROVED, "all parties accepted"));
    store.transition(job.jobId(), JobTransition.to(RUNNING, "psi").atStep("psi", 0));
    store.appendEvent(
        job.jobId(),
        JobEventDraft.of(JobEventKind.PROGRESS, "intersection 812 rows")
            .withStep("psi")
            .withParty("telco-b")
            .withDetail("{\"rows\":812}"));
    ModelRecord model =
        ModelRecord.of(
            job.jobId(),
            1,
            T0.plusSeconds(60),
            "{\"auc\":0.7671,\"ks\":0.41}",
            Map.of("bank-a", HASH_A, "telco-b", HASH_B));
    store.registerModel(model);

    List<PartyRecord> parties = store.parties();
    JobRecord jobBefore = store.job(job.jobId()).orElseThrow();
    List<JobEvent> eventsBefore = store.events(job.jobId(), 0);
    List<PartyDecision> decisionsBefore = store.decisions(job.jobId());
    store.close();

    store = CoordinatorStore.open(config, new TickingClock(T0.plusSeconds(3600)));

    assertThat(store.parties()).isEqualTo(parties);
    assertThat(store.job(job.jobId())).contains(jobBefore);
    assertThat(jobBefore.state()).isEqualTo(RUNNING);
    assertThat(jobBefore.currentStep()).contains(new JobStep("psi", 0));
    assertThat(store.events(job.jobId(), 0)).isEqualTo(eventsBefore).hasSize(6);
    assertThat(store.decisions(job.jobId())).isEqualTo(decisionsBefore);
    assertThat(store.model(model.modelId())).contains(model);
    assertThat(store.models()).containsExactly(model);
    // Numbering continues after the restart instead of starting over.
    assertThat(
            store
                .appendEvent(job.jobId(), JobEventDraft.of(JobEventKind.PROGRESS, "after restart"))
                .seq())
        .isEqualTo(7);
  }

  // ------------------------------------------------------------------------------------- jobs

  @Test
  void aJobWalksItsLifeCycleAndEveryTransitionWritesItsEvent() {
    JobRecord created = store.createJob(submission("job-1", "bank-a", "telco-b"));
    assertThat(created.state()).isEqualTo(SUBMITTED);
    assertThat(created.currentStep()).isEmpty();
    assertThat(store.job("job-1")).contains(created);

    store.transition("job-1", JobTransition.to(APPROVED, "all accepted").from(SUBMITTED));
    store.transition("job-1", JobTransition.to(RUNNING, "psi").from(APPROVED).atStep("psi", 0));
    store.transition("job-1", JobTransition.to(RUNNING, "train").from(RUNNING).atStep("train", 1));
    JobRecord done = store.transition("job-1", JobTransition.to(SUCCEEDED, "model v1 published"));

    assertThat(done.state()).isEqualTo(SUCCEEDED);
    assertThat(done.currentStep()).contains(new JobStep("train", 1));
    assertThat(done.message()).isEmpty();
    assertThat(done.updatedAt()).isAfter(done.createdAt());
    assertThat(store.job("job-1")).contains(done);
    List<JobEvent> events = store.events("job-1", 0);
    assertThat(events)
        .extracting(JobEvent::seq, JobEvent::kind, JobEvent::step, JobEvent::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1L, JobEventKind.SUBMITTED, Optional.empty(), "submitted by bank-a"),
            org.assertj.core.groups.Tuple.tuple(
                2L, JobEventKind.APPROVED, Optional.empty(), "all accepted"),
            org.assertj.core.groups.Tuple.tuple(
                3L, JobEventKind.STEP_STARTED, Optional.of("psi"), "psi"),
            org.assertj.core.groups.Tuple.tuple(
                4L, JobEventKind.STEP_STARTED, Optional.of("train"), "train"),
            org.assertj.core.groups.Tuple.tuple(
                5L, JobEventKind.SUCCEEDED, Optional.of("train"), "model v1 published"));
    assertThat(events.get(3).detailJson()).contains("\"from\":\"RUNNING\"", "\"stepIndex\":1");
  }

  @Test
  void aFailureKeepsTheStepItHappenedAtAndItsReason() {
    store.createJob(submission("job-1", "bank-a"));
    store.transition("job-1", JobTransition.to(APPROVED, "ok"));
    store.transition("job-1", JobTransition.to(RUNNING, "binning").atStep("binning", 1));

    JobRecord failed =
        store.transition("job-1", JobTransition.to(FAILED, "party telco-b timed out after 60 s"));

    assertThat(failed.currentStep()).contains(new JobStep("binning", 1));
    assertThat(failed.message()).contains("party telco-b timed out after 60 s");
    assertThat(store.job("job-1")).contains(failed);
  }

  @Test
  void everyTransitionOutsideTheStateMachineIsRejectedAndWritesNothing() {
    Map<JobState, List<JobState>> pathTo =
        Map.of(
            SUBMITTED, List.of(),
            APPROVED, List.of(APPROVED),
            REJECTED, List.of(REJECTED),
            RUNNING, List.of(APPROVED, RUNNING),
            SUCCEEDED, List.of(APPROVED, RUNNING, SUCCEEDED),
            FAILED, List.of(FAILED),
            CANCELLED, List.of(APPROVED, CANCELLED));
    int illegal = 0;
    for (JobState from : JobState.values()) {
      String jobId = "job-" + from.name().toLowerCase(java.util.Locale.ROOT);
      store.createJob(submission(jobId, "bank-a"));
      for (JobState step : pathTo.get(from)) {
        store.transition(jobId, JobTransition.to(step, "on the way").atStep("psi", 0));
      }
      JobRecord before = store.job(jobId).orElseThrow();
      List<JobEvent> eventsBefore = store.events(jobId, 0);
      assertThat(before.state()).isEqualTo(from);
      EnumSet<JobState> illegalTargets = EnumSet.allOf(JobState.class);
      illegalTargets.removeAll(from.exits());
      for (JobState to : illegalTargets) {
        illegal++;
        assertThatThrownBy(() -> store.transition(jobId, JobTransition.to(to, "try")))
            .isInstanceOfSatisfying(
                IllegalJobTransitionException.class,
                e -> {
                  assertThat(e.jobId()).isEqualTo(jobId);
                  assertThat(e.from()).isEqualTo(from);
                  assertThat(e.to()).isEqualTo(to);
                })
            .hasMessageContaining("job " + jobId + " cannot go from " + from + " to " + to);
      }
      assertThat(store.job(jobId)).contains(before);
      assertThat(store.events(jobId, 0)).isEqualTo(eventsBefore);
    }
    // 7 states x 7 targets minus the 11 legal transitions.
    assertThat(illegal).isEqualTo(49 - 11);
  }

  @Test
  void aTransitionExpectingAStateTheJobHasLeftIsRejected() {
    store.createJob(submission("job-1", "bank-a"));
    store.transition("job-1", JobTransition.to(CANCELLED, "submitter withdrew"));

    assertThatThrownBy(
            () -> store.transition("job-1", JobTransition.to(APPROVED, "ok").from(SUBMITTED)))
        .isInstanceOf(IllegalJobTransitionException.class)
        .hasMessageContaining("it is CANCELLED, not SUBMITTED as expected");
    assertThat(store.job("job-1").orElseThrow().message()).contains("submitter withdrew");
  }

  @Test
  void concurrentTransitionsFromTheSameStateLetExactlyOneWin() throws Exception {
    store.createJob(submission("job-1", "bank-a"));
    CyclicBarrier start = new CyclicBarrier(8);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JobState to = i % 2 == 0 ? APPROVED : REJECTED;
      tasks.add(
          () -> {
            start.await();
            try {
              store.transition("job-1", JobTransition.to(to, "race").from(SUBMITTED));
              return true;
            } catch (IllegalJobTransitionException lost) {
              return false;
            }
          });
    }

    List<Boolean> won = runAll(tasks);

    assertThat(won).containsOnlyOnce(true);
    assertThat(store.events("job-1", 0)).hasSize(2);
  }

  @Test
  void unknownJobsAndDuplicateJobIdsAreReported() {
    store.createJob(submission("job-1", "bank-a"));

    assertThatThrownBy(() -> store.createJob(submission("job-1", "telco-b")))
        .isInstanceOf(DuplicateRecordException.class)
        .hasMessageContaining("job job-1 already exists");
    assertThat(store.decisions("job-1"))
        .extracting(PartyDecision::partyId)
        .containsExactly("bank-a");
    assertThatThrownBy(() -> store.transition("job-9", JobTransition.to(APPROVED, "ok")))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessageContaining("job job-9 is not in the coordinator store");
    assertThatThrownBy(
            () -> store.appendEvent("job-9", JobEventDraft.of(JobEventKind.PROGRESS, "x")))
        .isInstanceOf(UnknownRecordException.class);
    assertThat(store.job("job-9")).isEmpty();
    assertThat(store.events("job-9", 0)).isEmpty();
  }

  @Test
  void jobsAreListedNewestFirstAndCountedByState() {
    store.createJob(submission("job-a", "bank-a"));
    store.createJob(submission("job-b", "bank-a"));
    store.createJob(submission("job-c", "bank-a"));
    store.transition("job-b", JobTransition.to(APPROVED, "ok"));
    store.transition("job-c", JobTransition.to(REJECTED, "column income not allowed"));

    assertThat(store.jobs())
        .extracting(JobRecord::jobId)
        .containsExactly("job-c", "job-b", "job-a");
    Map<JobState, Long> counts = store.jobsByState();
    assertThat(counts).hasSize(JobState.values().length);
    assertThat(counts)
        .containsEntry(SUBMITTED, 1L)
        .containsEntry(APPROVED, 1L)
        .containsEntry(REJECTED, 1L)
        .containsEntry(RUNNING, 0L);
    assertThat(store.job("job-c").orElseThrow().message()).contains("column income not allowed");
  }

  @Test
  void theSpecIsStoredVerbatim() {
    String spec = "name: demo\n# comment kept\nsteps: [psi, train]\nnote: \"ünïcödé ✓\"\n";
    store.createJob(
        new JobSubmission("job-1", "demo", "vertical-lr", "bank-a", spec, List.of("bank-a")));

    assertThat(store.job("job-1").orElseThrow().specYaml()).isEqualTo(spec);
  }

  @Test
  void theLongestSpecTheRecordsAllowFitsTheColumn() {
    String spec = "#".repeat(JobSubmission.MAX_SPEC_CHARS);
    store.createJob(
        new JobSubmission("job-1", "big", "vertical-lr", "bank-a", spec, List.of("bank-a")));

    assertThat(store.job("job-1").orElseThrow().specYaml()).hasSize(JobSubmission.MAX_SPEC_CHARS);
  }

  // ----------------------------------------------------------------------------------- events

  @Test
  void concurrentAppendsFromEightThreadsGetGapFreeUniqueSeqs() throws Exception {
    store.createJob(submission("job-1", "bank-a"));
    int threads = 8;
    int perThread = 12;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Callable<List<Long>>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String party = "party-" + t;
      tasks.add(
          () -> {
            start.await();
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              seqs.add(
                  store
                      .appendEvent(
                          "job-1",
                          JobEventDraft.of(JobEventKind.PROGRESS, "batch " + i).withParty(party))
                      .seq());
            }
            return seqs;
          });
    }

    List<List<Long>> seqsPerThread = runAll(tasks);

    List<Long> all = seqsPerThread.stream().flatMap(List::stream).sorted().toList();
    assertThat(all)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(2, 1 + threads * perThread).boxed().toList());
    seqsPerThread.forEach(seqs -> assertThat(seqs).isSorted());
    List<JobEvent> stored = store.events("job-1", 0);
    assertThat(stored)
        .extracting(JobEvent::seq)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 1 + threads * perThread).boxed().toList());
  }

  @Test
  void eventsAfterASeqAreTheTailInOrder() {
    store.createJob(submission("job-1", "bank-a"));
    store.createJob(submission("job-2", "bank-a"));
    for (int i = 1; i <= 5; i++) {
      store.appendEvent("job-1", JobEventDraft.of(JobEventKind.PROGRESS, "one " + i));
      store.appendEvent("job-2", JobEventDraft.of(JobEventKind.PROGRESS, "two " + i));
    }

    List<JobEvent> tail = store.events("job-1", 3);

    assertThat(tail).extracting(JobEvent::seq).containsExactly(4L, 5L, 6L);
    assertThat(tail).extracting(JobEvent::message).containsExactly("one 3", "one 4", "one 5");
    assertThat(tail).allSatisfy(e -> assertThat(e.jobId()).isEqualTo("job-1"));
    assertThat(tail).extracting(JobEvent::at).isSorted();
    assertThat(store.events("job-1", 6)).isEmpty();
  }

  // ------------------------------------------------------------------------- parties, decisions

  @Test
  void registeringAgainReplacesThePartyAndHeartbeatsNeedARegisteredParty() {
    store.registerParty(party("telco-b", "10.0.0.2:7443", HASH_A));
    store.heartbeat("telco-b", T0.plusSeconds(5));
    store.registerParty(party("telco-b", "10.0.0.9:8443", HASH_B.toUpperCase()));
    store.registerParty(party("bank-a", "bank.example:7443", HASH_A));

    assertThat(store.parties())
        .extracting(PartyRecord::partyId)
        .containsExactly("bank-a", "telco-b");
    PartyRecord telco = store.party("telco-b").orElseThrow();
    assertThat(telco.address()).isEqualTo("10.0.0.9:8443");
    assertThat(telco.certificateSha256()).isEqualTo(HASH_B);
    assertThat(telco.lastHeartbeatAt()).isEmpty();

    store.heartbeat("telco-b", T0.plusSeconds(10));
    assertThat(store.party("telco-b").orElseThrow().lastHeartbeatAt()).contains(T0.plusSeconds(10));
    assertThatThrownBy(() -> store.heartbeat("nobody", T0))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessageContaining("party nobody is not registered");
    assertThat(store.party("nobody")).isEmpty();
  }

  @Test
  void partiesStartPendingAndTheirAnswersAreRecordedWithEvents() {
    store.createJob(submission("job-1", "bank-a", "telco-b"));
    assertThat(store.decisions("job-1"))
        .extracting(PartyDecision::decision)
        .containsExactly(PartyDecision.Decision.PENDING, PartyDecision.Decision.PENDING);

    store.recordDecision("job-1", "bank-a", PartyDecision.Decision.ACCEPTED, Optional.empty());
    PartyDecision rejected =
        store.recordDecision(
            "job-1",
            "telco-b",
            PartyDecision.Decision.REJECTED,
            Optional.of("column arrears_90d not allowed for purpose credit-scoring"));

    assertThat(store.decisions("job-1"))
        .extracting(PartyDecision::partyId, PartyDecision::decision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bank-a", PartyDecision.Decision.ACCEPTED),
            org.assertj.core.groups.Tuple.tuple("telco-b", PartyDecision.Decision.REJECTED));
    assertThat(store.decisions("job-1").get(1)).isEqualTo(rejected);
    assertThat(store.events("job-1", 1))
        .extracting(JobEvent::kind, JobEvent::party)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(JobEventKind.PARTY_ACCEPTED, Optional.of("bank-a")),
            org.assertj.core.groups.Tuple.tuple(
                JobEventKind.PARTY_REJECTED, Optional.of("telco-b")));
    assertThatThrownBy(
            () ->
                store.recordDecision(
                    "job-1", "stranger", PartyDecision.Decision.ACCEPTED, Optional.empty()))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessageContaining("party stranger is not a party of job job-1")
        .hasMessageContaining("[bank-a, telco-b]");
    assertThat(store.events("job-1", 0)).hasSize(3);
  }

  // ----------------------------------------------------------------------------------- models

  @Test
  void modelsAreRegisteredOncePerVersionAndListedNewestFirst() {
    store.createJob(submission("job-1", "bank-a", "telco-b"));
    ModelRecord v1 =
        ModelRecord.of(
            "job-1", 1, T0, "{\"auc\":0.71}", Map.of("bank-a", HASH_A, "telco-b", HASH_B));
    ModelRecord v2 =
        ModelRecord.of("job-1", 2, T0.plusSeconds(1), "{\"auc\":0.74}", Map.of("bank-a", HASH_B));
    store.registerModel(v1);
    store.registerModel(v2);

    assertThat(store.models()).containsExactly(v2, v1);
    assertThat(store.model("job-1-v1")).contains(v1);
    assertThat(store.model("job-1-v1").orElseThrow().shardSha256())
        .containsOnlyKeys("bank-a", "telco-b");
    assertThat(store.model("job-1-v3")).isEmpty();
    assertThatThrownBy(() -> store.registerModel(v1))
        .isInstanceOf(DuplicateRecordException.class)
        .hasMessageContaining("model job-1-v1 is already registered");
    assertThatThrownBy(
            () ->
                store.registerModel(ModelRecord.of("job-9", 1, T0, "{}", Map.of("bank-a", HASH_A))))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessageContaining("job job-9");
    assertThat(store.models()).hasSize(2);
  }

  // ------------------------------------------------------------------------------------ open

  @Test
  void aClosedStoreSaysSo() {
    store.close();

    assertThatThrownBy(() -> store.jobs())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the coordinator store at " + config.url() + " is closed; open it again to use it");
  }

  @Test
  void anUnreachableDatabaseFailsFastWithOneLineNamingTheUrl() {
    StoreConfig unreachable = unreachableDatabase();
    long start = System.nanoTime();

    assertThatThrownBy(() -> CoordinatorStore.open(unreachable))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open the coordinator store at " + unreachable.url() + ": ")
        .hasMessageEndingWith("; check store.url in coordinator.yaml")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(Duration.ofSeconds(CoordinatorStore.CONNECT_TIMEOUT_SECONDS + 1));
  }

  // ---------------------------------------------------------------------------------- helpers

  static JobSubmission submission(String jobId, String... parties) {
    return new JobSubmission(
        jobId, "demo " + jobId, "vertical-lr", parties[0], "name: demo\n", List.of(parties));
  }

  static PartyRecord party(String id, String address, String hash) {
    return new PartyRecord(id, address, hash, T0, Optional.empty());
  }

  private List<String> appliedMigrations() throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM "
                    + CoordinatorStore.HISTORY_TABLE
                    + " WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  private long count(String sql) throws SQLException {
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(
        CoordinatorStore.effectiveUrl(config.url(), config.redactedUrl()),
        config.user(),
        config.password());
  }

  private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
