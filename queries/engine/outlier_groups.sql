-- Outlier thresholds (verification.md LABOR_OUTLIER, PARTS_OUTLIER): per manufacturer and repair code
-- with at least 20 interventions, their number and the 95th percentiles (linear interpolation, as
-- quantile_cont) of labor_minutes and of parts_cost (empty = 0), in DOUBLE: quantile_cont over a DECIMAL
-- rounds the interpolated value to the column's scale (a DOUBLE interpolation strictly between two data
-- values never equals one of them, so the strict comparison in findings.sql stays exact).
-- Scope: the groups in eng_group. A group whose row changes (appears, goes, or moves) re-flags all its
-- interventions (docs/ENGINE.md "Incremental refresh").
CREATE OR REPLACE TABLE outlier_groups AS
SELECT manufacturer_id, repair_code, count(*) AS n,
       quantile_cont(CAST(labor_minutes AS DOUBLE), 0.95) AS p95_labor,
       quantile_cont(CAST(coalesce(parts_cost, 0) AS DOUBLE), 0.95) AS p95_parts
FROM interventions
SEMI JOIN eng_group USING (manufacturer_id, repair_code)
GROUP BY manufacturer_id, repair_code
HAVING count(*) >= 20;
