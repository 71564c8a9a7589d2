-- The findings of one intervention in the viewer's scope as they stood at $as_of (engine history,
-- migration 005: valid_from <= $as_of < valid_to), worst severity first, then by code and document type.
SELECT h.code, h.severity, h.doc_type, h.explanation, h.valid_from
FROM finding_history h
JOIN interventions i USING (intervention_id)
WHERE h.intervention_id = $intervention_id
  AND h.valid_from <= $as_of AND (h.valid_to IS NULL OR h.valid_to > $as_of)
  AND
-- include: fragments/scope
ORDER BY CASE h.severity WHEN 'blocked' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, h.code, coalesce(h.doc_type, '');
