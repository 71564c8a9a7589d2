-- When the store first held a status for one intervention in the viewer's scope (NULL: never, unknown,
-- or outside the scope).
SELECT min(h.valid_from)
FROM status_history h
JOIN interventions i USING (intervention_id)
WHERE h.intervention_id = $intervention_id
  AND
-- include: fragments/scope
;
