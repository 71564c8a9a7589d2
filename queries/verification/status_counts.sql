-- The verification queue's size per status (verification.md: an intervention's status is the worst
-- severity of its findings) for the viewer's scope and filters, optionally only the interventions
-- whose id contains $search (verbatim, case-sensitive; NULL: every one). Reads intervention_facts
-- (one row per intervention with its status and attribution), so counting never reads findings.
-- Period filter on completed_on; territory filters on the station, as queue.sql.
SELECT status, count(*) AS interventions
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
  AND ($search IS NULL OR contains(intervention_id, $search))
GROUP BY status
ORDER BY status;
