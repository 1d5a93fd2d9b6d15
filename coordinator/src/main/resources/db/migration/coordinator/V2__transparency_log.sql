-- Coordinator store, version 2: the transparency log (issue 7), an RFC 6962 Merkle tree.
-- Same dialect rules as V1: PostgreSQL and H2 in MODE=PostgreSQL share this file.

-- The appended entries, 0-based and gap-free; leaf_hash = SHA-256(0x00 || entry).
CREATE TABLE translog_entries (
    idx       BIGINT  NOT NULL PRIMARY KEY,
    entry     BYTEA   NOT NULL,
    leaf_hash BYTEA   NOT NULL
);

-- Every complete subtree hash: level lvl, index idx covers leaves [idx * 2^lvl, (idx + 1) * 2^lvl).
-- Level 0 repeats the leaf hashes so that the tree stands apart from the entry rows: a root or a
-- proof reads O(log n) rows here and never the entries.
CREATE TABLE translog_nodes (
    lvl  INTEGER NOT NULL,
    idx  BIGINT  NOT NULL,
    hash BYTEA   NOT NULL,
    PRIMARY KEY (lvl, idx)
);

-- One row: the committed tree size. Appenders lock it, so appends are serialised across processes.
CREATE TABLE translog_state (
    id   INTEGER NOT NULL PRIMARY KEY,
    size BIGINT  NOT NULL,
    CONSTRAINT translog_state_single CHECK (id = 1)
);
INSERT INTO translog_state (id, size) VALUES (1, 0);

-- Signed checkpoints handed out, in C2SP signed-note text form; kept for export and audits.
CREATE TABLE translog_checkpoints (
    seq       BIGINT  NOT NULL PRIMARY KEY,
    tree_size BIGINT  NOT NULL,
    note      TEXT    NOT NULL
);
