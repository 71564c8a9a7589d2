-- The findings of one intervention in the viewer's scope (verification.md), worst severity first,
-- then by code and document type.
SELECT f.code, f.severity, f.doc_type, f.explanation
FROM findings f
JOIN (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i USING (intervention_id)
WHERE f.intervention_id = $intervention_id
ORDER BY CASE f.severity WHEN 'blocked' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, f.code, coalesce(f.doc_type, '');
