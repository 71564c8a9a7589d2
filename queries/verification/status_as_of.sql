-- The status of one intervention in the viewer's scope as it stood at $as_of (engine history; no row:
-- the intervention is unknown, outside the scope, or was not in the store yet at $as_of).
SELECT h.status, h.finding_codes, h.waived_codes, h.valid_from
FROM status_history h
JOIN interventions i USING (intervention_id)
WHERE h.intervention_id = $intervention_id
  AND h.valid_from <= $as_of AND (h.valid_to IS NULL OR h.valid_to > $as_of)
  AND ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station);
