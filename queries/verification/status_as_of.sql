-- The status of one intervention in the viewer's scope as it stood at $as_of (engine history; no row:
-- the intervention is unknown, outside the scope, or was not in the store yet at $as_of).
SELECT h.status, h.finding_codes, h.waived_codes, h.valid_from
FROM status_history h
JOIN interventions i USING (intervention_id)
WHERE h.intervention_id = $intervention_id
  AND h.valid_from <= $as_of AND (h.valid_to IS NULL OR h.valid_to > $as_of)
  AND
-- include: fragments/scope
;
