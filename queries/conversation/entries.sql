-- The stored thread entries the viewer may see (scope: the intervention's brand and station),
-- optionally of one intervention ($intervention_id NULL: all), in write order (entry_id).
-- An entry whose intervention is no longer in the store is visible to managers only.
SELECT e.entry_id, e.intervention_id, e.code, e.doc_type, e.kind, e.author, e.author_role, e.written_at,
       e.body, e.sent_doc_type, e.sent_doc_received_on
FROM finding_entries e
LEFT JOIN interventions i USING (intervention_id)
WHERE ($intervention_id IS NULL OR e.intervention_id = $intervention_id)
  AND ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
ORDER BY e.entry_id;
