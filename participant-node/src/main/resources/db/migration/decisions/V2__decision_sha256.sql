-- Decision store, version 2: the SHA-256 (hex) of decision_json, written in the same INSERT. It is
-- what the coordinator's transparency log records for the decision (docs/protocols/serving.md,
-- "Decisions in the audit log"); storing it lets the node report decisions without reading their
-- JSON back. NULL for decisions stored before version 2: the reader hashes their JSON then.
ALTER TABLE decisions ADD COLUMN decision_sha256 CHAR(64);
