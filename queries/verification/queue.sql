-- The verification queue: one row per intervention in the viewer's scope and filters, with its
-- status (verification.md: worst severity of its findings), its finding codes (distinct, sorted,
-- ';'-joined, '' when none), amounts (intervention_amounts) and every finding's explanation
-- (one per line, in code order). Period filter on completed_on; territory filters on the station.
SELECT i.intervention_id, i.manufacturer_id, i.station_id, s.status, s.finding_codes AS findings,
       a.currency, a.requested_amount, a.calculated_amount,
       i.completed_on, i.submitted_on, i.product_category, i.repair_code, i.coverage,
       st.country, coalesce(st.region, '') AS region,
       p.policy_valid_from, p.applied_overrides,
       coalesce(f.explanations, '') AS explanations
FROM interventions i
JOIN intervention_status s USING (intervention_id)
JOIN intervention_amounts a USING (intervention_id)
JOIN intervention_policy p USING (intervention_id)
JOIN stations st ON st.station_id = i.station_id
LEFT JOIN (
    SELECT intervention_id,
           string_agg(code || ': ' || explanation, chr(10) ORDER BY code, coalesce(doc_type, '')) AS explanations
    FROM findings
    GROUP BY intervention_id
) f USING (intervention_id)
WHERE ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
  AND ($date_from IS NULL OR i.completed_on >= $date_from)
  AND ($date_to IS NULL OR i.completed_on <= $date_to)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, i.manufacturer_id))
  AND ($station_ids IS NULL OR list_contains($station_ids, i.station_id))
  AND ($countries IS NULL OR list_contains($countries, st.country))
  AND ($regions IS NULL OR list_contains($regions, coalesce(st.region, '')))
  AND ($product_categories IS NULL OR list_contains($product_categories, i.product_category))
  AND ($status IS NULL OR s.status = $status)
ORDER BY i.intervention_id;
