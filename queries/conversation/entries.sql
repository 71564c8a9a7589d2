-- The stored thread entries the viewer may see (scope: the intervention's brand and station),
-- optionally of one intervention ($intervention_id NULL: all), in write order (entry_id).
-- An entry whose intervention is no longer in the store is visible to managers only.
SELECT e.entry_id, e.intervention_id, e.code, e.doc_type, e.kind, e.author, e.author_role, e.written_at,
       e.body, e.sent_doc_type, e.sent_doc_received_on
FROM (SELECT e.*, i.manufacturer_id, i.station_id
      FROM finding_entries e LEFT JOIN interventions i USING (intervention_id)) e
WHERE ($intervention_id IS NULL OR e.intervention_id = $intervention_id)
  AND
-- include: fragments/scope
ORDER BY e.entry_id;
