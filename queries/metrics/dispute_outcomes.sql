-- Disputes of the selection per outcome (station, manufacturer, split, withdrawn; 'open' while
-- there is none: not resolved yet), counted in SQL for the Disputes page's outcome chart. Disputes follow
-- their intervention (period on completed_on), as dispute_details.sql.
SELECT coalesce(outcome, 'open') AS outcome, count(*) AS disputes
FROM dispute_facts
WHERE
-- include: fragments/selection
GROUP BY 1
ORDER BY 1;
