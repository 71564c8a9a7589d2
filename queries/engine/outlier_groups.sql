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
-- Every refresh reads whole groups, and a delta touches nearly every group, so this is the scan that
-- costs: an integer key and two DOUBLEs, not two text columns (about 2x cheaper at 10M, docs/PERFORMANCE.md).
-- The hash depends on DuckDB's version, which the engine's fingerprint includes (a new DuckDB rebuilds
-- everything); two groups sharing a hash would merge: the refresh refuses it among the groups in scope
-- (all of them in a full refresh; a collision has odds of about 10^-11 for 10,000 groups).
-- Scope: outlier_values, the rows of eng_iv_row; outlier_groups, the groups in eng_group. A group whose
-- thresholds move re-flags the interventions that cross them (incremental/findings.sql).
CREATE OR REPLACE TABLE outlier_values AS
SELECT
-- include: fragments/outlier_group_key
       AS group_key, iv_key,
       CAST(labor_minutes AS DOUBLE) AS labor, CAST(coalesce(parts_cost, 0) AS DOUBLE) AS parts
FROM interventions
WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);

-- two of the groups in scope sharing a hash: refused rather than merged (every group in a full refresh)
SELECT error('two outlier groups share the key ' || group_key || ': ' || string_agg(manufacturer_id || '/' || repair_code, ', '))
FROM (SELECT manufacturer_id, repair_code,
-- include: fragments/outlier_group_key
      AS group_key FROM eng_group)
GROUP BY group_key
HAVING count(*) > 1;

CREATE OR REPLACE TABLE outlier_groups AS
WITH groups AS (
    SELECT manufacturer_id, repair_code,
-- include: fragments/outlier_group_key
           AS group_key FROM eng_group
)
SELECT g.manufacturer_id, g.repair_code, v.n, v.p95_labor, v.p95_parts,
       ' is above the 95th percentile (' || vf_num(CAST(round(v.p95_labor, 2) AS DECIMAL(18,2))) || ' min) of the '
       || v.n || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.' AS labor_evidence,
       ' is above the 95th percentile (' || CAST(CAST(round(v.p95_parts, 2) AS DECIMAL(18,2)) AS VARCHAR) || ') of the '
       || v.n || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.' AS parts_evidence
FROM (
    SELECT group_key, count(*) AS n,
           quantile_cont(labor, 0.95) AS p95_labor,
           quantile_cont(parts, 0.95) AS p95_parts
    FROM outlier_values
    WHERE group_key IN (SELECT group_key FROM groups)
    GROUP BY group_key
    HAVING count(*) >= 20
) v
JOIN groups g USING (group_key);
