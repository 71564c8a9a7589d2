-- The verification queue counted per status and completion day (status_rank: the status's
-- position in $statuses, worst first), newest day first within a status: what worst_first.sql
-- needs to know how far back its first rows go, read without the interventions' ids.
-- Same scope, filters and optional status as worst_first.sql.
SELECT list_position($statuses, status) AS status_rank, completed_on, count(*) AS interventions
FROM intervention_facts
WHERE ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR station_id = $scope_station)
  AND ($date_from IS NULL OR completed_on >= $date_from)
  AND ($date_to IS NULL OR completed_on <= $date_to)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
  AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
  AND ($countries IS NULL OR list_contains($countries, country))
  AND ($regions IS NULL OR list_contains($regions, region))
  AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
  AND ($status IS NULL OR status = $status)
GROUP BY ALL
ORDER BY status_rank, completed_on DESC;
