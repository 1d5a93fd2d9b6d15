-- Coordinator store, version 4: the witnesses' cosignatures on the transparency log's checkpoints
-- (issue 7, witnesses). Each participant node cosigns the checkpoint it was shown before a step,
-- once it has checked it is consistent with every checkpoint it saw before; the coordinator keeps
-- the first cosignature of each witness on each tree size, relays them to the job's other parties
-- and exports them for auditors. Same dialect rules as V1.
CREATE TABLE translog_cosignatures (
    seq         BIGINT      NOT NULL PRIMARY KEY,
    witness     VARCHAR(64) NOT NULL,
    tree_size   BIGINT      NOT NULL,
    checkpoint  TEXT        NOT NULL,
    cosigned_at BIGINT      NOT NULL,
    certificate BYTEA       NOT NULL,
    signature   BYTEA       NOT NULL,
    CONSTRAINT translog_cosignatures_once UNIQUE (witness, tree_size)
);
