-- Decision store, version 1: every credit decision the bank's node issued, by token.
-- One file for both databases: PostgreSQL, and H2 in MODE=PostgreSQL with DATABASE_TO_LOWER=TRUE.
-- Keep to the common subset: no SERIAL/IDENTITY, no JSONB, no ON CONFLICT, no dollar quoting.
--
-- decision_json is the decision exactly as issued (every field, including the explanation, the
-- reasons, the counterfactuals and the note); it is what find() and recent() return. The other
-- columns repeat its scalar fields, written from the same value in the same INSERT, so that the
-- officer view can filter and order in SQL and an operator can query the table by hand.
-- probability_of_default and score are NULL when the model gave no number (cannot decide).

CREATE TABLE decisions (
    token                  VARCHAR(64)  NOT NULL PRIMARY KEY,
    decided_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    enterprise_id          VARCHAR(255) NOT NULL,
    model_job              VARCHAR(255) NOT NULL,
    model_version          VARCHAR(255) NOT NULL,
    model_algorithm        VARCHAR(64)  NOT NULL,
    outcome                VARCHAR(16)  NOT NULL,
    probability_of_default DOUBLE PRECISION,
    score                  DOUBLE PRECISION,
    band                   VARCHAR(64)  NOT NULL,
    decision_json          TEXT         NOT NULL,
    CONSTRAINT decisions_outcome_known CHECK (outcome IN ('APPROVED', 'REFUSED', 'CANNOT_DECIDE'))
);
CREATE INDEX decisions_by_decided_at ON decisions (decided_at);
CREATE INDEX decisions_by_outcome_decided_at ON decisions (outcome, decided_at);
