-- Migration 006: the outlier findings' thresholds kept apart from the findings (docs/DECISIONS.md
-- "Outlier findings name their group's thresholds at reading time"). The engine now stores its
-- findings in `finding_rows` and `findings` becomes a view that completes the outlier explanations
-- with `outlier_groups`; the old table is dropped here (the engine change rebuilds every derived
-- table before the store is published again). The history keeps the group of an outlier finding and
-- the thresholds of each group over time, so that an explanation as of a date names the thresholds
-- of that date.
DROP TABLE IF EXISTS findings;
ALTER TABLE finding_history ADD COLUMN IF NOT EXISTS manufacturer_id VARCHAR;
ALTER TABLE finding_history ADD COLUMN IF NOT EXISTS repair_code VARCHAR;
CREATE TABLE IF NOT EXISTS outlier_group_history (
    manufacturer_id VARCHAR NOT NULL,
    repair_code VARCHAR NOT NULL,
    n BIGINT NOT NULL,
    p95_labor DOUBLE,
    p95_parts DOUBLE,
    labor_evidence VARCHAR,
    parts_evidence VARCHAR,
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP
);
