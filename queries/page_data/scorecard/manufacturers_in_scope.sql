-- The manufacturers the viewer may see that have at least one intervention.
SELECT DISTINCT manufacturer_id
FROM interventions
WHERE ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR station_id = $scope_station)
ORDER BY manufacturer_id
