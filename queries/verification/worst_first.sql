-- The verification queue as the clerk reads it: worst status first ($statuses lists the statuses
-- from worst to best), then the most recently completed, then by id; optionally one status
-- ($status) and only ids containing $search (verbatim, case-sensitive); the first $limit rows
-- (NULL: all, for the export). Same scope, filters and columns as queue.sql.
-- $since and $max_rank (NULL: no bound) only narrow the rows read, never the answer: the caller
-- sets them from status_months.sql (the rollup) so that every one of the first $limit rows is within them
-- (rows completed on or after $since, statuses up to $max_rank), and the scan of a sorted facts
-- table skips the older row groups.
-- $after_status / $after_day / $after_id (NULL: from the start): only the rows after that row in
-- this order (cursor paging: a page starts after the last row of the previous one).
-- Every column but the explanations is read from intervention_facts (one row per intervention,
-- sorted by manufacturer and day, carrying the queue's columns: a top-N, no sort of the whole
-- queue, no join); the findings' explanations are then read for the picked rows only.
WITH picked AS (
    SELECT intervention_id, manufacturer_id, station_id, status, finding_codes AS findings,
           currency, requested_amount, calculated_amount,
           completed_on, submitted_on, product_category, repair_code, coverage, country, region,
           policy_valid_from, applied_overrides,
           list_position($statuses, status) AS status_rank
    FROM intervention_facts
    WHERE
-- include: fragments/selection
      AND ($status IS NULL OR status = $status)
      AND ($search IS NULL OR contains(intervention_id, $search))
      AND ($since IS NULL OR completed_on >= $since)
      AND ($max_rank IS NULL OR list_position($statuses, status) <= $max_rank)
      AND ($after_id IS NULL
           OR list_position($statuses, status) > list_position($statuses, $after_status)
           OR (status = $after_status AND (completed_on < $after_day
                                           OR (completed_on = $after_day AND intervention_id > $after_id))))
    ORDER BY status_rank, completed_on DESC, intervention_id
    LIMIT $limit
), explained AS (
    SELECT intervention_id,
           string_agg(code || ': ' || explanation, chr(10) ORDER BY code, coalesce(doc_type, '')) AS explanations
    FROM findings
    WHERE intervention_id IN (SELECT intervention_id FROM picked)
    GROUP BY intervention_id
)
SELECT k.intervention_id, k.manufacturer_id, k.station_id, k.status, k.findings,
       k.currency, k.requested_amount, k.calculated_amount,
       k.completed_on, k.submitted_on, k.product_category, k.repair_code, k.coverage,
       k.country, k.region, k.policy_valid_from, k.applied_overrides,
       coalesce(f.explanations, '') AS explanations
FROM picked k
LEFT JOIN explained f USING (intervention_id)
ORDER BY k.status_rank, k.completed_on DESC, k.intervention_id;
