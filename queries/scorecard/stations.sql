-- The stations a viewer may open a scorecard for: every (station, manufacturer) pair with
-- interventions in the viewer's scope and the filters (period on completed_on), with the
-- station's name and country and its number of interventions for that manufacturer.
SELECT f.station_id, s.name, s.country, f.manufacturer_id, count(*) AS interventions
FROM intervention_facts f
JOIN stations s USING (station_id)
WHERE ($scope_manufacturer IS NULL OR f.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR f.station_id = $scope_station)
  AND ($date_from IS NULL OR f.completed_on >= $date_from)
  AND ($date_to IS NULL OR f.completed_on <= $date_to)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, f.manufacturer_id))
  AND ($station_ids IS NULL OR list_contains($station_ids, f.station_id))
  AND ($countries IS NULL OR list_contains($countries, f.country))
  AND ($regions IS NULL OR list_contains($regions, f.region))
  AND ($product_categories IS NULL OR list_contains($product_categories, f.product_category))
GROUP BY ALL
ORDER BY f.station_id, f.manufacturer_id;
