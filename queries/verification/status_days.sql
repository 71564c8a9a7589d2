-- The verification queue counted per status and completion day (status_rank: the status's
-- position in $statuses, worst first), newest day first within a status: what worst_first.sql
-- needs to know how far back its first rows go, read without the interventions' ids.
-- Same scope, filters and optional status as worst_first.sql.
SELECT list_position($statuses, status) AS status_rank, completed_on, count(*) AS interventions
FROM intervention_facts
WHERE
-- include: fragments/selection
  AND ($status IS NULL OR status = $status)
GROUP BY ALL
ORDER BY status_rank, completed_on DESC;
