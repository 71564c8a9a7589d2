-- Ingest by a station or a brand (analytics/contract/importer/scope_check.py): an intervention row
-- must name the sender's own station (or brand), and may not replace an intervention of another.
-- $scope_manufacturer / $scope_station: the sender's scope; $who: "station S1" or "brand M1".
SELECT g._file, g._row,
       CASE WHEN $scope_station IS NOT NULL THEN 'station_id' ELSE 'manufacturer_id' END AS "column",
       CASE WHEN $scope_station IS NOT NULL THEN g.station_id ELSE g.manufacturer_id END AS value,
       'intervention ' || coalesce(g.intervention_id, '') || ': ' || $who
       || ' may only send its own interventions' AS message
FROM stg_interventions g
WHERE ($scope_manufacturer IS NOT NULL AND g.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
   OR ($scope_station IS NOT NULL AND g.station_id IS DISTINCT FROM $scope_station)
UNION ALL
SELECT g._file, g._row, 'intervention_id', g.intervention_id,
       'intervention_id ' || g.intervention_id || ' cannot be used by ' || $who
       || ': choose another id for a new intervention'
FROM stg_interventions g
JOIN main.interventions i ON i.intervention_id = g.intervention_id
WHERE NOT (($scope_manufacturer IS NOT NULL AND g.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
           OR ($scope_station IS NOT NULL AND g.station_id IS DISTINCT FROM $scope_station))
  AND (($scope_manufacturer IS NOT NULL AND i.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
       OR ($scope_station IS NOT NULL AND i.station_id IS DISTINCT FROM $scope_station))
