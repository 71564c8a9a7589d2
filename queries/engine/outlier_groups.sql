-- Outlier thresholds (verification.md LABOR_OUTLIER, PARTS_OUTLIER): per manufacturer and repair code
-- with at least 20 interventions, their number and the 95th percentiles (linear interpolation, as
-- quantile_cont) of labor_minutes and of parts_cost (empty = 0), in DOUBLE: quantile_cont over a DECIMAL
-- rounds the interpolated value to the column's scale (a DOUBLE interpolation strictly between two data
-- values never equals one of them, so the strict comparison in findings.sql stays exact).
-- labor_evidence / parts_evidence: the group's part of an outlier finding's explanation (the percentile it
-- was compared with and the group's size), added to the finding's own evidence when it is read
-- (fragments/outlier_explanation): written once per group, not once per finding.
-- Scope: the groups in eng_group. A group whose row changes (appears, goes, or moves) re-flags the
-- interventions that cross its threshold (docs/ENGINE.md "Incremental refresh").
CREATE OR REPLACE TABLE outlier_groups AS
SELECT manufacturer_id, repair_code, n, p95_labor, p95_parts,
       ' is above the 95th percentile (' || vf_num(CAST(round(p95_labor, 2) AS DECIMAL(18,2))) || ' min) of the '
       || n || ' interventions of ' || manufacturer_id || ' with repair code ' || repair_code || '.' AS labor_evidence,
       ' is above the 95th percentile (' || CAST(CAST(round(p95_parts, 2) AS DECIMAL(18,2)) AS VARCHAR) || ') of the '
       || n || ' interventions of ' || manufacturer_id || ' with repair code ' || repair_code || '.' AS parts_evidence
FROM (
    SELECT manufacturer_id, repair_code, count(*) AS n,
           quantile_cont(CAST(labor_minutes AS DOUBLE), 0.95) AS p95_labor,
           quantile_cont(CAST(coalesce(parts_cost, 0) AS DOUBLE), 0.95) AS p95_parts
    FROM interventions
    SEMI JOIN eng_group USING (manufacturer_id, repair_code)
    GROUP BY manufacturer_id, repair_code
    HAVING count(*) >= 20
);
