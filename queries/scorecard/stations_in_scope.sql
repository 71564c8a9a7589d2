-- The stations the viewer may open a scorecard for (with interventions in scope): id, name, country.
SELECT DISTINCT s.station_id, s.name, s.country
FROM stations s
JOIN interventions i USING (station_id)
WHERE ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
ORDER BY s.station_id
