-- What a station should fix now: its interventions in the period whose status is not 'ready'
-- (open findings, with the findings' codes) and its open disputes (resolved_on IS NULL).
-- kind = 'finding' | 'dispute'; one row per finding or per open dispute. Scope and filters bound.
SELECT 'finding' AS kind, f.intervention_id, n.code AS code, n.severity, n.explanation AS detail,
       NULL::DECIMAL(18, 2) AS amount, f.completed_on AS since
FROM intervention_facts f
JOIN findings n USING (intervention_id)
JOIN intervention_status s USING (intervention_id)
WHERE f.station_id = $station_id AND s.status <> 'ready' AND n.severity <> 'info'
  AND ($date_from IS NULL OR f.completed_on >= $date_from)
  AND ($date_to IS NULL OR f.completed_on <= $date_to)
  AND ($scope_manufacturer IS NULL OR f.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR f.station_id = $scope_station)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, f.manufacturer_id))
UNION ALL
SELECT 'dispute', d.intervention_id, d.reason, NULL, 'Dispute ' || d.dispute_id || ' opened by ' || d.opened_by,
       d.disputed_amount, d.opened_on
FROM disputes d
JOIN interventions i USING (intervention_id)
WHERE i.station_id = $station_id AND d.resolved_on IS NULL
  AND ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
  AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, i.manufacturer_id))
ORDER BY kind DESC, since, intervention_id, code
LIMIT 500
