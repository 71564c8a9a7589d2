-- Disputes of the selection per outcome (station, manufacturer, split, withdrawn; 'open' while
-- there is none: not resolved yet), counted in SQL for the Disputes page's outcome chart. Disputes follow
-- their intervention (period on completed_on), as dispute_details.sql.
SELECT coalesce(outcome, 'open') AS outcome, count(*) AS disputes
FROM dispute_facts
WHERE ($date_from IS NULL OR completed_on >= $date_from)
  AND ($date_to IS NULL OR completed_on <= $date_to)
  AND ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR station_id = $scope_station)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
  AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
  AND ($countries IS NULL OR list_contains($countries, country))
  AND ($regions IS NULL OR list_contains($regions, region))
  AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
GROUP BY 1
ORDER BY 1;
