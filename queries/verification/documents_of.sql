-- The documents of one intervention in the viewer's scope: every required type (policy in force)
-- with the day it was received (NULL = missing), plus the documents received though not required.
SELECT coalesce(r.doc_type, d.doc_type) AS doc_type,
       r.doc_type IS NOT NULL AS required,
       r.required_by,
       coalesce(r.received_on, d.received_on) AS received_on
FROM (SELECT * FROM intervention_required_documents WHERE intervention_id = $intervention_id) r
FULL JOIN (SELECT * FROM documents WHERE intervention_id = $intervention_id) d USING (doc_type)
JOIN (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i ON i.intervention_id = $intervention_id
ORDER BY required DESC, doc_type;
