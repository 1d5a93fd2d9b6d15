package org.fedcredit.coordinator.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's relational store: registered parties, jobs with their state machine and event
 * log, each party's decision on each job, and the model registry (DESIGN §6).
 *
 * <p>{@link #open(StoreConfig)} connects (failing within {@value #CONNECT_TIMEOUT_SECONDS} s with a
 * one-line {@link StoreException} naming the URL), applies the versioned migrations in {@code
 * db/migration/coordinator} with Flyway, and pools connections with HikariCP. The same migrations
 * and the same tests run on embedded H2 and on PostgreSQL.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #transition} checks and applies a {@link JobState} change atomically (the job row is
 *       locked, and the update is conditional on the state read), and writes its event in the same
 *       transaction; an illegal change writes nothing;
 *   <li>event sequence numbers are 1, 2, 3, ... per job with no gaps or duplicates, even under
 *       concurrent appends from several threads or processes, and they commit in order, so a
 *       watcher polling {@link #events(String, long)} never misses one;
 *   <li>instants are stored in UTC to the microsecond; nothing returns {@code null}.
 * </ul>
 *
 * <p>Thread-safe. Failures of the database itself surface as {@link StoreException}; misuse as
 * {@link IllegalJobTransitionException}, {@link UnknownRecordException}, {@link
 * DuplicateRecordException} or {@link IllegalArgumentException}.
 */
public final class CoordinatorStore implements AutoCloseable {
  /** Upper bound, in seconds, on connecting to the database (at open and for each pooled use). */
  public static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** Where the migrations live; a module-specific folder so other modules' migrations never mix. */
  static final String MIGRATIONS = "classpath:db/migration/coordinator";

  /** Flyway's history table; named for the coordinator so a PostgreSQL schema can be shared. */
  static final String HISTORY_TABLE = "coordinator_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorStore.class);
  private static final String H2 = "jdbc:h2:";
  private static final String POSTGRES = "jdbc:postgresql:";
  private static final String FIX_URL = "check store.url in coordinator.yaml";
  private static final String UNIQUE_VIOLATION = "23505";

  private static final String JOB_COLUMNS =
      "job_id, name, algorithm, submitter, spec_yaml, state, current_step, step_index, message,"
          + " created_at, updated_at";
  private static final String EVENT_COLUMNS =
      "job_id, seq, occurred_at, kind, party_id, step, message, detail_json";

  private final HikariDataSource pool;
  private final String where;
  private final Clock clock;

  private CoordinatorStore(HikariDataSource pool, String where, Clock clock) {
    this.pool = pool;
    this.where = where;
    this.clock = clock;
  }

  /** Opens the store described by {@code config}, migrating it to the current schema. */
  public static CoordinatorStore open(StoreConfig config) {
    return open(config, Clock.systemUTC());
  }

  /**
   * Opens the store, stamping jobs, events and decisions with {@code clock}'s time.
   *
   * @throws StoreException if the URL is not an H2 or PostgreSQL JDBC URL, the database cannot be
   *     reached within {@value #CONNECT_TIMEOUT_SECONDS} s, or the migrations fail
   */
  public static CoordinatorStore open(StoreConfig config, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    String where = config.redactedUrl();
    String url = effectiveUrl(config.url(), where);
    boolean postgres = url.startsWith(POSTGRES);
    probe(config, url, postgres, where);

    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("fedcredit-coordinator-store");
    hikari.setJdbcUrl(url);
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS));
    hikari.setValidationTimeout(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS) / 2);
    if (postgres) {
      postgresTimeouts().forEach(hikari::addDataSourceProperty);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException(cannotOpen(where, e), e);
    }
    try {
      migrate(pool, where);
      return new CoordinatorStore(pool, where, clock);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Closes every pooled connection; an embedded database is closed with its last connection. */
  @Override
  public void close() {
    pool.close();
  }

  // ---------------------------------------------------------------------------------- parties

  /**
   * Registers {@code party}, or replaces its stored row if the party id is already registered (a
   * node that moved or renewed its certificate registers again).
   */
  public void registerParty(PartyRecord party) {
    // Update-then-insert is the upsert both databases share; a concurrent first registration of
    // the same party makes the insert collide, and the retried update then succeeds.
    for (int attempt = 1; ; attempt++) {
      try {
        write("register party " + party.partyId(), c -> upsertParty(c, party));
        return;
      } catch (StoreException e) {
        if (attempt == 2 || !(e.getCause() instanceof SQLException sql) || !isUnique(sql)) {
          throw e;
        }
      }
    }
  }

  /**
   * Records that {@code partyId} was alive at {@code at}.
   *
   * @throws UnknownRecordException if the party is not registered
   */
  public void heartbeat(String partyId, Instant at) {
    Instant when = Checks.micros(at, "at");
    write(
        "record a heartbeat of party " + partyId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE parties SET last_heartbeat_at = ? WHERE party_id = ?")) {
            ps.setObject(1, utc(when));
            ps.setString(2, partyId);
            if (ps.executeUpdate() == 0) {
              throw new UnknownRecordException(
                  "party "
                      + partyId
                      + " is not registered with the coordinator; it must register before it"
                      + " sends heartbeats");
            }
          }
          return null;
        });
  }

  public Optional<PartyRecord> party(String partyId) {
    return read(
        "read party " + partyId,
        c ->
            queryList(
                    c,
                    "SELECT * FROM parties WHERE party_id = ?",
                    ps -> ps.setString(1, partyId),
                    CoordinatorStore::party)
                .stream()
                .findFirst());
  }

  /** All registered parties, by party id. */
  public List<PartyRecord> parties() {
    return read(
        "list parties",
        c ->
            queryList(
                c, "SELECT * FROM parties ORDER BY party_id", ps -> {}, CoordinatorStore::party));
  }

  // ------------------------------------------------------------------------------------- jobs

  /**
   * Stores a new job in state {@code SUBMITTED}, a {@code PENDING} decision for each of its
   * parties, and its {@code submitted} event (seq 1), in one transaction.
   *
   * @throws DuplicateRecordException if a job with this id exists
   */
  public JobRecord createJob(JobSubmission job) {
    Instant now = now();
    return write(
        "create job " + job.jobId(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO jobs ("
                      + JOB_COLUMNS
                      + ", last_event_seq) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, 0)")) {
            ps.setString(1, job.jobId());
            ps.setString(2, job.name());
            ps.setString(3, job.algorithm());
            ps.setString(4, job.submitter());
            ps.setString(5, job.specYaml());
            ps.setString(6, JobState.SUBMITTED.name());
            ps.setObject(7, utc(now));
            ps.setObject(8, utc(now));
            ps.executeUpdate();
          } catch (SQLException e) {
            if (isUnique(e)) {
              throw new DuplicateRecordException(
                  "job "
                      + job.jobId()
                      + " already exists in the coordinator store; submit with a new job id");
            }
            throw e;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO job_party_decisions (job_id, party_id, decision, reason, decided_at)"
                      + " VALUES (?, ?, ?, NULL, ?)")) {
            for (String party : job.parties()) {
              ps.setString(1, job.jobId());
              ps.setString(2, party);
              ps.setString(3, PartyDecision.Decision.PENDING.name());
              ps.setObject(4, utc(now));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          ObjectNode detail = Json.object().put("algorithm", job.algorithm());
          job.parties().forEach(detail.putArray("parties")::add);
          appendEvent(
              c,
              job.jobId(),
              JobEventDraft.of(JobEventKind.SUBMITTED, "submitted by " + job.submitter())
                  .withDetail(Json.text(detail)),
              now);
          return new JobRecord(
              job.jobId(),
              job.name(),
              job.algorithm(),
              job.submitter(),
              job.specYaml(),
              JobState.SUBMITTED,
              Optional.empty(),
              Optional.empty(),
              now,
              now);
        });
  }

  /**
   * Moves a job to {@code change.to()} if {@link JobState} allows it from the job's current state
   * (and the job is in {@code change.expectedFrom()}, if given), and appends the matching event
   * ({@code approved}, {@code rejected}, {@code step-started} for RUNNING, {@code succeeded},
   * {@code failed}, {@code cancelled}) with detail {@code {"from", "to", "stepIndex"}}, in one
   * transaction.
   *
   * @return the job as updated
   * @throws IllegalJobTransitionException if the change is not allowed; nothing is written
   * @throws UnknownRecordException if there is no such job
   */
  public JobRecord transition(String jobId, JobTransition change) {
    Objects.requireNonNull(change, "change");
    JobState to = change.to();
    return write(
        "move job " + jobId + " to " + to,
        c -> {
          JobRecord current = lockJob(c, jobId);
          JobState from = current.state();
          if (change.expectedFrom().isPresent() && change.expectedFrom().get() != from) {
            throw new IllegalJobTransitionException(
                jobId,
                from,
                to,
                "it is "
                    + from
                    + ", not "
                    + change.expectedFrom().get()
                    + " as expected; another change came first, reload the job and decide again");
          }
          if (!from.canMoveTo(to)) {
            throw new IllegalJobTransitionException(
                jobId,
                from,
                to,
                from.isTerminal()
                    ? from + " is final"
                    : "from " + from + " a job may only go to " + from.exits());
          }
          Instant now = now();
          Optional<JobStep> step = change.step().or(current::currentStep);
          Optional<String> message =
              switch (to) {
                case REJECTED, FAILED, CANCELLED -> Optional.of(change.message());
                default -> current.message();
              };
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET state = ?, current_step = ?, step_index = ?, message = ?,"
                      + " updated_at = ? WHERE job_id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, step.map(JobStep::name).orElse(null));
            if (step.isPresent()) {
              ps.setInt(3, step.get().index());
            } else {
              ps.setNull(3, Types.INTEGER);
            }
            ps.setString(4, message.orElse(null));
            ps.setObject(5, utc(now));
            ps.setString(6, jobId);
            ps.setString(7, from.name());
            if (ps.executeUpdate() != 1) {
              // Unreachable while the row lock holds; kept so a future edit cannot skip the check.
              throw new IllegalJobTransitionException(
                  jobId, from, to, "it changed concurrently; reload the job and retry");
            }
          }
          ObjectNode detail = Json.object().put("from", from.name()).put("to", to.name());
          step.ifPresent(s -> detail.put("stepIndex", s.index()));
          JobEventDraft event =
              new JobEventDraft(
                  JobEventKind.forTransitionTo(to),
                  Optional.empty(),
                  step.map(JobStep::name),
                  change.message(),
                  Json.text(detail));
          appendEvent(c, jobId, event, now);
          return new JobRecord(
              jobId,
              current.name(),
              current.algorithm(),
              current.submitter(),
              current.specYaml(),
              to,
              step,
              message,
              current.createdAt(),
              now);
        });
  }

  public Optional<JobRecord> job(String jobId) {
    return read(
        "read job " + jobId,
        c ->
            queryList(
                    c,
                    "SELECT " + JOB_COLUMNS + " FROM jobs WHERE job_id = ?",
                    ps -> ps.setString(1, jobId),
                    CoordinatorStore::job)
                .stream()
                .findFirst());
  }

  /** All jobs, newest first. */
  public List<JobRecord> jobs() {
    return read(
        "list jobs",
        c ->
            queryList(
                c,
                "SELECT " + JOB_COLUMNS + " FROM jobs ORDER BY created_at DESC, job_id DESC",
                ps -> {},
                CoordinatorStore::job));
  }

  /** How many jobs are in each state; every state is present, with 0 if none. */
  public Map<JobState, Long> jobsByState() {
    return read(
        "count jobs by state",
        c -> {
          Map<JobState, Long> counts = new EnumMap<>(JobState.class);
          for (JobState state : JobState.values()) {
            counts.put(state, 0L);
          }
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT state, COUNT(*) FROM jobs GROUP BY state");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.put(JobState.valueOf(rs.getString(1)), rs.getLong(2));
            }
          }
          return Collections.unmodifiableMap(counts);
        });
  }

  // ----------------------------------------------------------------------------------- events

  /**
   * Appends an event to a job's log with the next sequence number and the current time.
   *
   * @throws UnknownRecordException if there is no such job
   */
  public JobEvent appendEvent(String jobId, JobEventDraft event) {
    Objects.requireNonNull(event, "event");
    return write(
        "append a " + event.kind().wireName() + " event to job " + jobId,
        c -> appendEvent(c, jobId, event, now()));
  }

  /**
   * The events of a job with {@code seq > afterSeq}, in seq order ({@code afterSeq = 0} for all).
   * Empty for an unknown job.
   */
  public List<JobEvent> events(String jobId, long afterSeq) {
    return read(
        "read the events of job " + jobId,
        c ->
            queryList(
                c,
                "SELECT "
                    + EVENT_COLUMNS
                    + " FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq",
                ps -> {
                  ps.setString(1, jobId);
                  ps.setLong(2, afterSeq);
                },
                CoordinatorStore::event));
  }

  // -------------------------------------------------------------------------------- decisions

  /**
   * Records a party's answer to a job and appends the {@code party-accepted} or {@code
   * party-rejected} event, in one transaction. A party may change its answer; the log keeps both.
   *
   * @param decision ACCEPTED or REJECTED
   * @param reason why (required in practice for a rejection; shown to the submitter)
   * @throws UnknownRecordException if there is no such job or the party is not one of its parties
   */
  public PartyDecision recordDecision(
      String jobId, String partyId, PartyDecision.Decision decision, Optional<String> reason) {
    Objects.requireNonNull(reason, "reason");
    if (decision == PartyDecision.Decision.PENDING) {
      throw new IllegalArgumentException(
          "party "
              + partyId
              + " cannot decide PENDING on job "
              + jobId
              + "; answer ACCEPTED or"
              + " REJECTED");
    }
    Instant now = now();
    return write(
        "record the decision of party " + partyId + " on job " + jobId,
        c -> {
          lockJob(c, jobId);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE job_party_decisions SET decision = ?, reason = ?, decided_at = ?"
                      + " WHERE job_id = ? AND party_id = ?")) {
            ps.setString(1, decision.name());
            ps.setString(2, reason.orElse(null));
            ps.setObject(3, utc(now));
            ps.setString(4, jobId);
            ps.setString(5, partyId);
            if (ps.executeUpdate() == 0) {
              throw new UnknownRecordException(
                  "party "
                      + partyId
                      + " is not a party of job "
                      + jobId
                      + "; its parties are "
                      + decisionsOf(c, jobId).stream().map(PartyDecision::partyId).toList());
            }
          }
          boolean accepted = decision == PartyDecision.Decision.ACCEPTED;
          JobEventDraft event =
              JobEventDraft.of(
                      accepted ? JobEventKind.PARTY_ACCEPTED : JobEventKind.PARTY_REJECTED,
                      reason.orElse(accepted ? "accepted" : "rejected"))
                  .withParty(partyId);
          appendEvent(c, jobId, event, now);
          return new PartyDecision(jobId, partyId, decision, reason, now);
        });
  }

  /** Each party's decision on a job, by party id; empty for an unknown job. */
  public List<PartyDecision> decisions(String jobId) {
    return read("read the decisions on job " + jobId, c -> decisionsOf(c, jobId));
  }

  // ----------------------------------------------------------------------------------- models

  /**
   * Registers a model version with its shard hashes.
   *
   * @throws UnknownRecordException if its job is not in the store
   * @throws DuplicateRecordException if this version of the job's model is already registered
   */
  public void registerModel(ModelRecord model) {
    write(
        "register model " + model.modelId(),
        c -> {
          lockJob(c, model.jobId());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO models (model_id, job_id, version, created_at, metrics_json)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, model.modelId());
            ps.setString(2, model.jobId());
            ps.setInt(3, model.version());
            ps.setObject(4, utc(model.createdAt()));
            ps.setString(5, model.metricsJson());
            ps.executeUpdate();
          } catch (SQLException e) {
            if (isUnique(e)) {
              throw new DuplicateRecordException(
                  "model "
                      + model.modelId()
                      + " is already registered; publish the next version of job "
                      + model.jobId()
                      + " instead");
            }
            throw e;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO model_shards (model_id, party_id, shard_sha256) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> shard : model.shardSha256().entrySet()) {
              ps.setString(1, model.modelId());
              ps.setString(2, shard.getKey());
              ps.setString(3, shard.getValue());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** The model with id {@code <jobId>-v<version>}. */
  public Optional<ModelRecord> model(String modelId) {
    return read(
        "read model " + modelId,
        c -> models(c, "WHERE model_id = ?", ps -> ps.setString(1, modelId)).stream().findFirst());
  }

  /** All registered models, newest first. */
  public List<ModelRecord> models() {
    return read("list models", c -> models(c, "", ps -> {}));
  }

  // ------------------------------------------------------------------- for stores built on this

  /** Work on one pooled connection; see {@link #inTransaction} and {@link #reading}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection of this store's schema; any
   * exception rolls it back. For the tables of other components that share this database and its
   * migrations (the transparency log); a database failure becomes a {@link StoreException} that
   * says "cannot {@code what} in the coordinator store at ...".
   */
  public <T> T inTransaction(String what, SqlWork<T> work) {
    return write(what, work::run);
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode; see {@link #inTransaction}. */
  public <T> T reading(String what, SqlWork<T> work) {
    return read(what, work::run);
  }

  // -------------------------------------------------------------------------------- internals

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Connection connection() throws SQLException {
    if (pool.isClosed()) {
      throw new IllegalStateException(
          "the coordinator store at " + where + " is closed; open it again to use it");
    }
    return pool.getConnection();
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection c = connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs {@code work} in one transaction; any exception rolls it back and propagates. */
  private <T> T write(String what, Work<T> work) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private StoreException failure(String what, SQLException e) {
    boolean connection =
        e instanceof SQLTransientConnectionException
            || e instanceof SQLNonTransientConnectionException
            || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    String fix =
        connection
            ? "check that the database is up and that store.url in coordinator.yaml points at it"
            : "the database refused the statement (SQLState "
                + e.getSQLState()
                + "); report this with the output of --debug";
    return new StoreException(
        "cannot " + what + " in the coordinator store at " + where + ": " + reason(e) + "; " + fix,
        e);
  }

  private Instant now() {
    return Checks.micros(clock.instant(), "now");
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static boolean isUnique(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  private static <T> List<T> queryList(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return List.copyOf(rows);
      }
    }
  }

  /** Reads the job and locks its row until the transaction ends. */
  private static JobRecord lockJob(Connection c, String jobId) throws SQLException {
    return queryList(
            c,
            "SELECT " + JOB_COLUMNS + " FROM jobs WHERE job_id = ? FOR UPDATE",
            ps -> ps.setString(1, jobId),
            CoordinatorStore::job)
        .stream()
        .findFirst()
        .orElseThrow(() -> unknownJob(jobId));
  }

  private static UnknownRecordException unknownJob(String jobId) {
    return new UnknownRecordException(
        "job " + jobId + " is not in the coordinator store; list the jobs to find its id");
  }

  /**
   * Takes the next seq of the job by incrementing {@code jobs.last_event_seq}: the update locks the
   * job row until commit, so concurrent appenders queue and each gets the next number.
   */
  private static JobEvent appendEvent(Connection c, String jobId, JobEventDraft d, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET last_event_seq = last_event_seq + 1 WHERE job_id = ?")) {
      ps.setString(1, jobId);
      if (ps.executeUpdate() == 0) {
        throw unknownJob(jobId);
      }
    }
    long seq;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_event_seq FROM jobs WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO job_events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, jobId);
      ps.setLong(2, seq);
      ps.setObject(3, utc(at));
      ps.setString(4, d.kind().wireName());
      ps.setString(5, d.party().orElse(null));
      ps.setString(6, d.step().orElse(null));
      ps.setString(7, d.message());
      ps.setString(8, d.detailJson());
      ps.executeUpdate();
    }
    return new JobEvent(jobId, seq, at, d.kind(), d.party(), d.step(), d.message(), d.detailJson());
  }

  private static Void upsertParty(Connection c, PartyRecord p) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE parties SET address = ?, cert_sha256 = ?, registered_at = ?,"
                + " last_heartbeat_at = ? WHERE party_id = ?")) {
      ps.setString(1, p.address());
      ps.setString(2, p.certificateSha256());
      ps.setObject(3, utc(p.registeredAt()));
      ps.setObject(4, p.lastHeartbeatAt().map(CoordinatorStore::utc).orElse(null));
      ps.setString(5, p.partyId());
      if (ps.executeUpdate() == 1) {
        return null;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO parties (party_id, address, cert_sha256, registered_at,"
                + " last_heartbeat_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, p.partyId());
      ps.setString(2, p.address());
      ps.setString(3, p.certificateSha256());
      ps.setObject(4, utc(p.registeredAt()));
      ps.setObject(5, p.lastHeartbeatAt().map(CoordinatorStore::utc).orElse(null));
      ps.executeUpdate();
    }
    return null;
  }

  private static List<PartyDecision> decisionsOf(Connection c, String jobId) throws SQLException {
    return queryList(
        c,
        "SELECT job_id, party_id, decision, reason, decided_at FROM job_party_decisions"
            + " WHERE job_id = ? ORDER BY party_id",
        ps -> ps.setString(1, jobId),
        rs ->
            new PartyDecision(
                rs.getString("job_id"),
                rs.getString("party_id"),
                PartyDecision.Decision.valueOf(rs.getString("decision")),
                Optional.ofNullable(rs.getString("reason")),
                instant(rs, "decided_at")));
  }

  private static List<ModelRecord> models(Connection c, String where, Binder binder)
      throws SQLException {
    Map<String, TreeMap<String, String>> shards = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT model_id, party_id, shard_sha256 FROM model_shards WHERE model_id IN"
                + " (SELECT model_id FROM models "
                + where
                + ")")) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          shards
              .computeIfAbsent(rs.getString(1), id -> new TreeMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    return queryList(
        c,
        "SELECT model_id, job_id, version, created_at, metrics_json FROM models "
            + where
            + " ORDER BY created_at DESC, model_id DESC",
        binder,
        rs ->
            new ModelRecord(
                rs.getString("job_id"),
                rs.getInt("version"),
                instant(rs, "created_at"),
                rs.getString("metrics_json"),
                shards.getOrDefault(rs.getString("model_id"), new TreeMap<>())));
  }

  private static PartyRecord party(ResultSet rs) throws SQLException {
    return new PartyRecord(
        rs.getString("party_id"),
        rs.getString("address"),
        rs.getString("cert_sha256"),
        instant(rs, "registered_at"),
        Optional.ofNullable(instant(rs, "last_heartbeat_at")));
  }

  private static JobRecord job(ResultSet rs) throws SQLException {
    String step = rs.getString("current_step");
    return new JobRecord(
        rs.getString("job_id"),
        rs.getString("name"),
        rs.getString("algorithm"),
        rs.getString("submitter"),
        rs.getString("spec_yaml"),
        JobState.valueOf(rs.getString("state")),
        step == null ? Optional.empty() : Optional.of(new JobStep(step, rs.getInt("step_index"))),
        Optional.ofNullable(rs.getString("message")),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static JobEvent event(ResultSet rs) throws SQLException {
    return new JobEvent(
        rs.getString("job_id"),
        rs.getLong("seq"),
        instant(rs, "occurred_at"),
        JobEventKind.fromWireName(rs.getString("kind")),
        Optional.ofNullable(rs.getString("party_id")),
        Optional.ofNullable(rs.getString("step")),
        rs.getString("message"),
        rs.getString("detail_json"));
  }

  // ------------------------------------------------------------------------------------- open

  /**
   * The URL actually used: PostgreSQL as given; H2 with the settings that let it run the PostgreSQL
   * migrations unchanged (PostgreSQL mode, lower-case identifiers, a lock wait long enough for
   * queued event appends).
   */
  static String effectiveUrl(String url, String where) {
    if (url.startsWith(POSTGRES)) {
      return url;
    }
    if (!url.startsWith(H2)) {
      throw new StoreException(
          "cannot open the coordinator store at "
              + where
              + ": not a supported JDBC URL; use jdbc:postgresql://host:5432/database or"
              + " jdbc:h2:file:/path/coordinator; "
              + FIX_URL);
    }
    String upper = url.toUpperCase(Locale.ROOT);
    StringBuilder effective = new StringBuilder(url);
    if (!upper.contains(";MODE=")) {
      effective.append(";MODE=PostgreSQL");
    } else if (!upper.contains(";MODE=POSTGRESQL")) {
      throw new StoreException(
          "cannot open the coordinator store at "
              + where
              + ": H2 must run in MODE=PostgreSQL to share the PostgreSQL migrations; remove MODE"
              + " from the URL; "
              + FIX_URL);
    }
    if (!upper.contains(";DATABASE_TO_LOWER=")) {
      effective.append(";DATABASE_TO_LOWER=TRUE");
    }
    if (!upper.contains(";LOCK_TIMEOUT=")) {
      effective.append(";LOCK_TIMEOUT=10000");
    }
    if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
      // The coordinator closes the store itself, last, in its shutdown hook (after exporting the
      // audit log); H2's own hook would close it under the coordinator's feet.
      effective.append(";DB_CLOSE_ON_EXIT=FALSE");
    }
    return effective.toString();
  }

  private static Map<String, String> postgresTimeouts() {
    String seconds = Integer.toString(CONNECT_TIMEOUT_SECONDS);
    return Map.of(
        "connectTimeout", seconds,
        "loginTimeout", seconds,
        "ApplicationName", "fedcredit-coordinator");
  }

  /**
   * Connects once, outside the pool, so that a bad URL, an unreachable server or a missing schema
   * fails fast with one line (the pool would retry and log its own stack traces).
   */
  private static void probe(StoreConfig config, String url, boolean postgres, String where) {
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password());
    if (postgres) {
      postgresTimeouts().forEach(props::setProperty);
    }
    try (Connection c = DriverManager.getConnection(url, props)) {
      if (postgres && c.getSchema() == null) {
        throw new StoreException(
            "cannot open the coordinator store at "
                + where
                + ": the schema named by currentSchema does not exist or is not readable by "
                + config.user()
                + "; create it (CREATE SCHEMA ...) or "
                + FIX_URL);
      }
    } catch (SQLException e) {
      throw new StoreException(cannotOpen(where, e), e);
    }
  }

  private static String cannotOpen(String where, Throwable e) {
    return "cannot open the coordinator store at " + where + ": " + reason(e) + "; " + FIX_URL;
  }

  private static void migrate(HikariDataSource pool, String where) {
    try {
      MigrateResult result =
          Flyway.configure(CoordinatorStore.class.getClassLoader())
              .dataSource(pool)
              .locations(MIGRATIONS)
              .table(HISTORY_TABLE)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      LOG.info(
          "coordinator store at {}: schema version {} ({} migration(s) applied now)",
          where,
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new StoreException(
          "cannot migrate the coordinator store at "
              + where
              + ": "
              + oneLine(e.getMessage())
              + "; use a database or schema that only this coordinator (or an older version of"
              + " it) has migrated",
          e);
    }
  }

  /** The cause of a connection failure in a few words: network causes first, else the message. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer within " + CONNECT_TIMEOUT_SECONDS + " s";
      }
    }
    Throwable described = e;
    while (described.getMessage() == null && described.getCause() != null) {
      described = described.getCause();
    }
    return described.getMessage() == null
        ? described.getClass().getSimpleName()
        : oneLine(described.getMessage());
  }

  /** A multi-line driver or Flyway message folded to one line of at most 300 characters. */
  private static String oneLine(String message) {
    String line = message.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\.$", "");
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }
}
