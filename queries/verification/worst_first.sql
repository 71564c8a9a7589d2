-- The verification queue as the clerk reads it: worst status first ($statuses lists the statuses
-- from worst to best), then the most recently completed, then by id; optionally one status
-- ($status) and only ids containing $search (verbatim, case-sensitive); the first $limit rows
-- (NULL: all, for the export). Same scope, filters and columns as queue.sql.
-- $since and $max_rank (NULL: no bound) only narrow the rows read, never the answer: the caller
-- sets them from status_days.sql so that every one of the first $limit rows is within them
-- (rows completed on or after $since, statuses up to $max_rank), and the scan of a sorted facts
-- table skips the older row groups.
-- The rows are picked on intervention_facts (status and attribution, one row per intervention:
-- a top-N, no sort of the whole queue); amounts, policy and the findings' explanations are then
-- read for the picked rows only.
WITH picked AS (
    SELECT intervention_id, status, completed_on, list_position($statuses, status) AS status_rank
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
      AND ($search IS NULL OR contains(intervention_id, $search))
      AND ($since IS NULL OR completed_on >= $since)
      AND ($max_rank IS NULL OR list_position($statuses, status) <= $max_rank)
    ORDER BY status_rank, completed_on DESC, intervention_id
    LIMIT $limit
), explained AS (
    SELECT intervention_id,
           string_agg(code || ': ' || explanation, chr(10) ORDER BY code, coalesce(doc_type, '')) AS explanations
    FROM findings
    WHERE intervention_id IN (SELECT intervention_id FROM picked)
    GROUP BY intervention_id
)
SELECT i.intervention_id, i.manufacturer_id, i.station_id, s.status, s.finding_codes AS findings,
       a.currency, a.requested_amount, a.calculated_amount,
       i.completed_on, i.submitted_on, i.product_category, i.repair_code, i.coverage,
       st.country, coalesce(st.region, '') AS region,
       p.policy_valid_from, p.applied_overrides,
       coalesce(f.explanations, '') AS explanations
FROM picked k
JOIN interventions i USING (intervention_id)
JOIN intervention_status s USING (intervention_id)
JOIN intervention_amounts a USING (intervention_id)
JOIN intervention_policy p USING (intervention_id)
JOIN stations st ON st.station_id = i.station_id
LEFT JOIN explained f USING (intervention_id)
ORDER BY k.status_rank, k.completed_on DESC, k.intervention_id;
