-- The verification queue counted per month (YYYY-MM of completed_on) and status, newest month
-- first, for the viewer's selection: blocked, review, ready (verification.md: the worst severity
-- of an intervention's findings). Read from the engine's rollup cells (n_blocked, n_review,
-- n_ready of queries/engine/rollup_intervention_cells.sql), never from the interventions: it
-- gives the queue's status counts and how far back its first rows go (analytics/verification.py).
SELECT month,
       sum(n_blocked)::BIGINT AS blocked,
       sum(n_review)::BIGINT  AS review,
       sum(n_ready)::BIGINT   AS ready
FROM intervention_cells
WHERE
-- include: fragments/cell_selection
GROUP BY month
ORDER BY month DESC;
