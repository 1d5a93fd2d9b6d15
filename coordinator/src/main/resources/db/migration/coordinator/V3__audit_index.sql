-- Which transparency-log entries belong to which job, written in the same transaction as the
-- entries (AuditLog), so a job's entries and a model's release entry are found without reading
-- the whole log. An index only: the log itself (translog_entries) is the record.
CREATE TABLE audit_index (
    job_id     VARCHAR(64) NOT NULL,
    entry_type VARCHAR(40) NOT NULL,
    idx        BIGINT      NOT NULL,
    PRIMARY KEY (job_id, idx)
);
CREATE INDEX audit_index_by_type ON audit_index (job_id, entry_type);

-- Each decision the bank's node reported, by the SHA-256 of its record: a decision reported twice
-- (a node resending after a restart) is logged once, and a decision's entry is found by its hash.
CREATE TABLE audit_decisions (
    decision_sha256 CHAR(64) NOT NULL PRIMARY KEY,
    idx             BIGINT   NOT NULL
);
