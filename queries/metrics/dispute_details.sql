-- One row per dispute of the selection with its prevention verdict (see dispute_prevention.sql):
-- the disputed intervention's attribution, the given and the normalised reason, the finding codes
-- the intervention carries now, and whether one of them matches the reason.
-- Newest first (opened_on descending, then by id); the first $limit rows (NULL: all, the export).
SELECT dispute_id, intervention_id, invoice_id, manufacturer_id, station_id, country, region, month,
       product_category, opened_on, resolved_on, outcome, reason_given, reason, disputed_amount, currency,
       prevented, finding_codes
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
ORDER BY opened_on DESC, dispute_id
LIMIT $limit;
