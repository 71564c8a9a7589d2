-- Resolved disputes of the selection per resolution time in days (resolved_on - opened_on, the
-- input of metrics.md dispute_resolution_days_median), for the Disputes page's histogram: one row
-- per number of days, so the page draws the distribution without reading every dispute.
SELECT datediff('day', opened_on, resolved_on) AS days, count(*) AS disputes
FROM dispute_facts
WHERE resolved_on IS NOT NULL
  AND ($date_from IS NULL OR completed_on >= $date_from)
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
