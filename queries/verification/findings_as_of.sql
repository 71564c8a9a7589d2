-- The findings of one intervention in the viewer's scope as they stood at $as_of (engine history,
-- migrations 005 and 006: valid_from <= $as_of < valid_to), worst severity first, then by code and
-- document type; an outlier finding's explanation completed with its group's thresholds at $as_of.
SELECT r.code, r.severity, r.doc_type,
-- include: fragments/outlier_explanation
       AS explanation, r.valid_from
FROM finding_history r
LEFT JOIN outlier_group_history g
  ON g.manufacturer_id = r.manufacturer_id AND g.repair_code = r.repair_code
 AND g.valid_from <= $as_of AND (g.valid_to IS NULL OR g.valid_to > $as_of)
WHERE r.intervention_id = $intervention_id
  AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to > $as_of)
  AND r.intervention_id IN (SELECT intervention_id FROM interventions
                            WHERE intervention_id = $intervention_id AND
-- include: fragments/scope
                           )
ORDER BY CASE r.severity WHEN 'blocked' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, r.code, coalesce(r.doc_type, '');
