-- Disputes per normalised reason in two periods of the same length: [$before_from, $before_to] and
-- [$date_from, $date_to] (on the disputed intervention's completion day, metrics.md attribution),
-- within the rest of the viewer's selection. The selection fragment is bound to the span of both
-- periods; each count then keeps its own. Fastest growing first: the change in disputes, then
-- the count now, then the reason.
WITH span AS (
    SELECT reason, completed_on
    FROM (SELECT reason, intervention_id, manufacturer_id, station_id, country, region, product_category, completed_on
          FROM dispute_facts
          WHERE completed_on >= $before_from) d
    WHERE
-- include: fragments/selection
)
SELECT reason,
       count(*) FILTER (WHERE completed_on >= $now_from) AS disputes,
       count(*) FILTER (WHERE completed_on <= $before_to) AS disputes_before
FROM span
GROUP BY reason
ORDER BY disputes - disputes_before DESC, disputes DESC, reason;
