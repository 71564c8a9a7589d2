-- History of findings and statuses (migration 005): for the interventions the refresh touched (findings:
-- eng_outlier_iv and eng_iv_status; status: eng_iv_status; everything in a full refresh), the open rows
-- that no longer match the current row are closed at eng_now, and the current rows with no open match are
-- opened at eng_now. An unchanged finding keeps its row.
CREATE OR REPLACE TEMP TABLE vf_history_iv AS
SELECT intervention_id FROM eng_outlier_iv
UNION
SELECT intervention_id FROM eng_iv_status;

UPDATE finding_history h SET valid_to = (SELECT refreshed_at FROM eng_now)
WHERE h.valid_to IS NULL
  AND h.intervention_id IN (SELECT intervention_id FROM vf_history_iv)
  AND NOT EXISTS (SELECT 1 FROM findings f
                  WHERE f.intervention_id = h.intervention_id AND f.code = h.code
                    AND f.doc_type IS NOT DISTINCT FROM h.doc_type AND f.severity = h.severity
                    AND f.explanation IS NOT DISTINCT FROM h.explanation);

INSERT INTO finding_history
SELECT f.intervention_id, f.code, f.doc_type, f.severity, f.explanation, (SELECT refreshed_at FROM eng_now), NULL
FROM findings f
WHERE f.intervention_id IN (SELECT intervention_id FROM vf_history_iv)
  AND NOT EXISTS (SELECT 1 FROM finding_history h
                  WHERE h.valid_to IS NULL AND h.intervention_id = f.intervention_id AND h.code = f.code
                    AND h.doc_type IS NOT DISTINCT FROM f.doc_type AND h.severity = f.severity
                    AND h.explanation IS NOT DISTINCT FROM f.explanation);

UPDATE status_history h SET valid_to = (SELECT refreshed_at FROM eng_now)
WHERE h.valid_to IS NULL
  AND h.intervention_id IN (SELECT intervention_id FROM eng_iv_status)
  AND NOT EXISTS (SELECT 1 FROM intervention_status s
                  WHERE s.intervention_id = h.intervention_id AND s.status = h.status
                    AND s.finding_codes = h.finding_codes AND s.waived_codes = h.waived_codes);

INSERT INTO status_history
SELECT s.intervention_id, s.status, s.finding_codes, s.waived_codes, (SELECT refreshed_at FROM eng_now), NULL
FROM intervention_status s
WHERE s.intervention_id IN (SELECT intervention_id FROM eng_iv_status)
  AND NOT EXISTS (SELECT 1 FROM status_history h
                  WHERE h.valid_to IS NULL AND h.intervention_id = s.intervention_id AND h.status = s.status
                    AND h.finding_codes = s.finding_codes AND h.waived_codes = s.waived_codes);

DROP TABLE vf_history_iv;
