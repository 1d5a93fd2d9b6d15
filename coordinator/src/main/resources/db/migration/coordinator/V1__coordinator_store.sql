-- Coordinator store, version 1: parties, jobs, job events, party decisions, model registry.
-- One file for both databases: PostgreSQL, and H2 in MODE=PostgreSQL with DATABASE_TO_LOWER=TRUE.
-- Keep to the common subset: no SERIAL/IDENTITY, no JSONB, no ON CONFLICT, no dollar quoting.
-- Instants are TIMESTAMP WITH TIME ZONE written in UTC; JSON is TEXT checked by the application.

CREATE TABLE parties (
    party_id          VARCHAR(255) NOT NULL PRIMARY KEY,
    address           VARCHAR(255) NOT NULL,
    cert_sha256       CHAR(64)     NOT NULL,
    registered_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE jobs (
    job_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name           VARCHAR(255) NOT NULL,
    algorithm      VARCHAR(64)  NOT NULL,
    submitter      VARCHAR(255) NOT NULL,
    spec_yaml      TEXT         NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    current_step   VARCHAR(64),
    step_index     INTEGER,
    message        TEXT,
    -- The last job_events.seq handed out; incremented under the row lock by every append.
    last_event_seq BIGINT       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT jobs_state_known CHECK (state IN
        ('SUBMITTED', 'APPROVED', 'REJECTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    CONSTRAINT jobs_step_complete CHECK ((current_step IS NULL) = (step_index IS NULL))
);
CREATE INDEX jobs_by_state ON jobs (state);
CREATE INDEX jobs_by_created_at ON jobs (created_at);

CREATE TABLE job_events (
    job_id      VARCHAR(64)  NOT NULL REFERENCES jobs (job_id),
    seq         BIGINT       NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    party_id    VARCHAR(255),
    step        VARCHAR(64),
    message     TEXT         NOT NULL,
    detail_json TEXT         NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE job_party_decisions (
    job_id     VARCHAR(64)  NOT NULL REFERENCES jobs (job_id),
    party_id   VARCHAR(255) NOT NULL,
    decision   VARCHAR(16)  NOT NULL,
    reason     TEXT,
    decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, party_id),
    CONSTRAINT decisions_known CHECK (decision IN ('PENDING', 'ACCEPTED', 'REJECTED'))
);

CREATE TABLE models (
    model_id     VARCHAR(80) NOT NULL PRIMARY KEY,
    job_id       VARCHAR(64) NOT NULL REFERENCES jobs (job_id),
    version      INTEGER     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    metrics_json TEXT        NOT NULL,
    CONSTRAINT models_one_per_version UNIQUE (job_id, version)
);
CREATE INDEX models_by_created_at ON models (created_at);

CREATE TABLE model_shards (
    model_id     VARCHAR(80)  NOT NULL REFERENCES models (model_id),
    party_id     VARCHAR(255) NOT NULL,
    shard_sha256 CHAR(64)     NOT NULL,
    PRIMARY KEY (model_id, party_id)
);
