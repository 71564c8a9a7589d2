-- eng_outlier_iv: eng_iv plus the interventions whose outlier flag changes, in every group whose threshold
-- row changed (appeared, went, or moved: n or a percentile): an outlier under the old thresholds (it holds
-- the finding) that is not one under the new, or the reverse (same comparisons as findings.sql), code by
-- code. A member whose flag stays keeps its row as it is: its stored explanation names only its own
-- evidence, the view `findings` adds the group's current thresholds.
CREATE OR REPLACE TEMP TABLE eng_outlier_iv AS
WITH now_rows AS (
    SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code)
), moved AS (
    SELECT manufacturer_id, repair_code FROM (SELECT * FROM eng_group_old EXCEPT SELECT * FROM now_rows)
    UNION
    SELECT manufacturer_id, repair_code FROM (SELECT * FROM now_rows EXCEPT SELECT * FROM eng_group_old)
), now_outliers AS (
    SELECT i.intervention_id, i.iv_key, 'LABOR_OUTLIER' AS code
    FROM interventions i
    JOIN now_rows g USING (manufacturer_id, repair_code)
    SEMI JOIN moved USING (manufacturer_id, repair_code)
    WHERE CAST(i.labor_minutes AS DOUBLE) > g.p95_labor
    UNION ALL
    SELECT i.intervention_id, i.iv_key, 'PARTS_OUTLIER'
    FROM interventions i
    JOIN now_rows g USING (manufacturer_id, repair_code)
    SEMI JOIN moved USING (manufacturer_id, repair_code)
    WHERE CAST(coalesce(i.parts_cost, 0) AS DOUBLE) > g.p95_parts
), old_outliers AS (
    SELECT f.intervention_id, f.iv_key, f.code
    FROM finding_rows f
    SEMI JOIN moved m ON m.manufacturer_id = f.manufacturer_id AND m.repair_code = f.repair_code
    WHERE f.code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
)
SELECT intervention_id, iv_key FROM eng_iv
UNION
SELECT intervention_id, iv_key FROM (SELECT * FROM old_outliers EXCEPT SELECT * FROM now_outliers)
UNION
SELECT intervention_id, iv_key FROM (SELECT * FROM now_outliers EXCEPT SELECT * FROM old_outliers);

-- (eng_outlier_iv holds eng_iv: one scope filter the scan can apply, the rest checked on its few rows)
DELETE FROM finding_rows
WHERE iv_key IN (SELECT iv_key FROM eng_outlier_iv)
  AND (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER') OR iv_key IN (SELECT iv_key FROM eng_iv));
