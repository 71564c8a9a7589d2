-- Migration 005: the history of findings and statuses (issue 13 item 4), so that the findings and
-- status of an intervention as they stood on a date can be read back (explain --as-of). Kept by the
-- engine's refresh (queries/engine/history.sql): a row is valid from valid_from (inclusive) to
-- valid_to (exclusive; NULL = still current); only what changed is closed and opened. Times are UTC.
CREATE TABLE IF NOT EXISTS finding_history (
    intervention_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    doc_type VARCHAR,
    severity VARCHAR NOT NULL,
    explanation VARCHAR,
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP
);
CREATE TABLE IF NOT EXISTS status_history (
    intervention_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    finding_codes VARCHAR NOT NULL,
    waived_codes VARCHAR NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP
);
