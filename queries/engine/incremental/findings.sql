-- eng_outlier_iv: eng_iv plus, in every group whose threshold row changed (appeared, went, or moved: n or a
-- percentile), the interventions that are outliers under the old thresholds (they have an outlier finding)
-- or under the new ones (same comparisons as findings.sql): only those can gain, lose or change an outlier
-- finding. Their outlier codes as they were are kept to find whose codes changed.
CREATE OR REPLACE TEMP TABLE eng_outlier_iv AS
WITH now_rows AS (
    SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code)
), moved AS (
    SELECT manufacturer_id, repair_code FROM (SELECT * FROM eng_group_old EXCEPT SELECT * FROM now_rows)
    UNION
    SELECT manufacturer_id, repair_code FROM (SELECT * FROM now_rows EXCEPT SELECT * FROM eng_group_old)
)
SELECT intervention_id FROM eng_iv
UNION
SELECT f.intervention_id
FROM findings f
JOIN interventions i USING (intervention_id)
SEMI JOIN moved m ON m.manufacturer_id = i.manufacturer_id AND m.repair_code = i.repair_code
WHERE f.code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
UNION
SELECT i.intervention_id
FROM interventions i
JOIN now_rows g USING (manufacturer_id, repair_code)
SEMI JOIN moved USING (manufacturer_id, repair_code)
WHERE CAST(i.labor_minutes AS DOUBLE) > g.p95_labor
   OR CAST(coalesce(i.parts_cost, 0) AS DOUBLE) > g.p95_parts;

CREATE OR REPLACE TEMP TABLE eng_outlier_old AS
SELECT intervention_id, code FROM findings
WHERE code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
  AND intervention_id IN (SELECT intervention_id FROM eng_outlier_iv);

DELETE FROM findings
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv)
   OR (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
       AND intervention_id IN (SELECT intervention_id FROM eng_outlier_iv));
