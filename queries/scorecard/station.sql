-- One station's identity (name, country, region) and the manufacturers it worked for, within the
-- viewer's scope: a row per (station, manufacturer) with interventions; none when out of scope.
SELECT s.station_id, s.name, s.country, coalesce(s.region, '') AS region, i.manufacturer_id,
       count(*) AS interventions
FROM stations s
JOIN interventions i USING (station_id)
WHERE s.station_id = $station_id
  AND ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
GROUP BY ALL
ORDER BY interventions DESC, i.manufacturer_id
