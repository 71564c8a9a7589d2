-- Resolved disputes of the selection per resolution time in days (resolved_on - opened_on, the
-- input of metrics.md dispute_resolution_days_median), for the Disputes page's histogram: one row
-- per number of days, so the page draws the distribution without reading every dispute.
SELECT datediff('day', opened_on, resolved_on) AS days, count(*) AS disputes
FROM dispute_facts
WHERE resolved_on IS NOT NULL
  AND
-- include: fragments/selection
GROUP BY 1
ORDER BY 1;
