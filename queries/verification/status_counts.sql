-- The verification queue's size per status (verification.md: an intervention's status is the worst
-- severity of its findings) for the viewer's scope and filters, optionally only the interventions
-- whose id contains $search (verbatim, case-sensitive; NULL: every one). Reads intervention_facts
-- (one row per intervention with its status and attribution), so counting never reads findings.
-- Period filter on completed_on; territory filters on the station, as queue.sql.
SELECT status, count(*) AS interventions
FROM intervention_facts
WHERE
-- include: fragments/selection
  AND ($search IS NULL OR contains(intervention_id, $search))
GROUP BY status
ORDER BY status;
