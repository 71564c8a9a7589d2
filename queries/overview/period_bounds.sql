-- First and last completed_on of the viewer's selection (metrics.md attribution: an intervention
-- belongs to its completed_on), used to fill a missing period bound before comparing with the
-- previous period. NULLs when the selection is empty. Scope and filters bound as parameters.
SELECT min(completed_on) AS first_day, max(completed_on) AS last_day
FROM intervention_facts
WHERE ($date_from IS NULL OR completed_on >= $date_from)
  AND ($date_to IS NULL OR completed_on <= $date_to)
  AND ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR station_id = $scope_station)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
  AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
  AND ($countries IS NULL OR list_contains($countries, country))
  AND ($regions IS NULL OR list_contains($regions, region))
  AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
