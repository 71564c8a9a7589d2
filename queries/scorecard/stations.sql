-- The stations a viewer may open a scorecard for: every (station, manufacturer) pair with
-- interventions in the viewer's scope and the filters (period on completed_on), with the
-- station's name and country and its number of interventions for that manufacturer.
-- Counted from the engine's rollup (intervention_cells): whole months from the 'M' cells, the
-- days of partly covered months from the 'D' cells (as metrics/metric_table.sql).
WITH counted AS (
    SELECT station_id, manufacturer_id, sum(n) AS interventions
    FROM intervention_cells
    WHERE ($date_from IS NULL OR day_from >= $date_from)
      AND ($date_to IS NULL OR day_to <= $date_to)
      AND (grain = 'M') = (($date_from IS NULL OR month_from >= $date_from)
                           AND ($date_to IS NULL OR month_to <= $date_to))
      AND ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR station_id = $scope_station)
      AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
      AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
      AND ($countries IS NULL OR list_contains($countries, country))
      AND ($regions IS NULL OR list_contains($regions, region))
      AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
    GROUP BY station_id, manufacturer_id
)
SELECT c.station_id, s.name, s.country, c.manufacturer_id, c.interventions::BIGINT AS interventions
FROM counted c
JOIN stations s USING (station_id)
WHERE c.interventions > 0
ORDER BY c.station_id, c.manufacturer_id;
