-- eng_outlier_iv: eng_iv plus every intervention of a group whose threshold row changed (appeared, went,
-- or moved: n or a percentile). Their outlier findings as they were are kept to find whose codes changed.
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
SELECT intervention_id FROM interventions SEMI JOIN moved USING (manufacturer_id, repair_code);

CREATE OR REPLACE TEMP TABLE eng_outlier_old AS
SELECT intervention_id, code FROM findings
WHERE code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
  AND intervention_id IN (SELECT intervention_id FROM eng_outlier_iv);

DELETE FROM findings
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv)
   OR (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
       AND intervention_id IN (SELECT intervention_id FROM eng_outlier_iv));
