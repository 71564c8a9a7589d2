-- eng_iv_status gains eng_outlier_iv: eng_iv and the interventions whose outlier flag changed (findings.sql's
-- pre-step takes only those, so each of them has new finding codes).
INSERT INTO eng_iv_status
SELECT intervention_id, iv_key FROM eng_outlier_iv
EXCEPT
SELECT intervention_id, iv_key FROM eng_iv_status;

DELETE FROM finding_decisions WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
