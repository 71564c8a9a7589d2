-- Outlier thresholds (verification.md LABOR_OUTLIER, PARTS_OUTLIER): per manufacturer and repair code
-- with at least 20 interventions, their number and the 95th percentiles (linear interpolation, as
-- quantile_cont) of labor_minutes and of parts_cost (empty = 0), in DOUBLE: quantile_cont over a DECIMAL
-- rounds the interpolated value to the column's scale (a DOUBLE interpolation strictly between two data
-- values never equals one of them, so the strict comparison in findings.sql stays exact).
-- labor_evidence / parts_evidence: the group's part of an outlier finding's explanation (the percentile it
-- was compared with and the group's size), added to the finding's own evidence when it is read
-- (fragments/outlier_explanation): written once per group, not once per finding.
--
-- The percentiles are read from `outlier_values`, one narrow row per intervention: its group's key
-- (`group_key`, DuckDB's 64-bit hash of manufacturer_id and repair_code) and its two compared values.
-- The hash depends on DuckDB's version, which the engine's fingerprint includes (a new DuckDB rebuilds
-- everything); two groups sharing a hash would merge: the refresh refuses it among the groups in scope.
--
-- This script is the full refresh. An incremental refresh does not read whole groups again: it keeps
-- each group's *band* (`outlier_bands`, `outlier_band_values`: the distinct values around its 95th
-- percentile with their counts, and how many values lie below and above), finds the two values the
-- percentile interpolates from it, and lets quantile_cont interpolate them (analytics/engine/outlier_bands.py,
-- docs/ENGINE.md "Outlier bands"). This script cuts every group's band.
CREATE OR REPLACE TABLE outlier_values AS
-- include: fragments/outlier_values_rows
;

-- include: fragments/outlier_group_collision
;

CREATE OR REPLACE TABLE outlier_groups AS
WITH groups AS (
    SELECT manufacturer_id, repair_code,
-- include: fragments/outlier_group_key
           AS group_key FROM eng_group
), v AS (
    SELECT group_key, count(*) AS n,
           quantile_cont(labor, 0.95) AS p95_labor,
           quantile_cont(parts, 0.95) AS p95_parts
    FROM outlier_values
    WHERE group_key IN (SELECT group_key FROM groups)
    GROUP BY group_key
    HAVING count(*) >= 20
)
-- include: fragments/outlier_group_rows
;

-- every (group, measure) pair's band; measure 0 is labor, 1 parts
CREATE OR REPLACE TEMP TABLE eng_band_cut AS
SELECT DISTINCT v.group_key, m.measure
FROM outlier_values v CROSS JOIN (VALUES (CAST(0 AS UTINYINT)), (CAST(1 AS UTINYINT))) m(measure);

-- include: fragments/outlier_band_ranked
;

CREATE OR REPLACE TABLE outlier_bands AS
-- include: fragments/outlier_band_cuts
;

CREATE OR REPLACE TABLE outlier_band_values AS
-- include: fragments/outlier_band_members
;
