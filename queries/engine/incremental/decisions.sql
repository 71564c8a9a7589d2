-- eng_iv_status gains eng_iv and the interventions whose outlier codes changed (an explanation that only
-- names a new group size changes no status).
INSERT INTO eng_iv_status
WITH now_codes AS (
    SELECT intervention_id, code FROM finding_rows
    WHERE code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER')
      AND intervention_id IN (SELECT intervention_id FROM eng_outlier_iv)
)
SELECT intervention_id FROM eng_iv
UNION
SELECT intervention_id FROM (SELECT * FROM eng_outlier_old EXCEPT SELECT * FROM now_codes)
UNION
SELECT intervention_id FROM (SELECT * FROM now_codes EXCEPT SELECT * FROM eng_outlier_old)
EXCEPT
SELECT intervention_id FROM eng_iv_status;

DELETE FROM finding_decisions WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);
