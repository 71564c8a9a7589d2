-- The pre-invoices the viewer may open: one row per station, brand and month (YYYY-MM of completed_on)
-- with interventions, within the scope, with how many interventions are ready (status after decisions)
-- and how many are left out. Newest month first.
-- Read from the month cells of the engine's rollup (queries/engine/rollup_intervention_cells.sql:
-- n = interventions, n_ready = status 'ready', from intervention_facts), summed over the cells'
-- other keys (territory, category, currency), not from the interventions themselves.
SELECT month, station_id, manufacturer_id,
       sum(n)::BIGINT AS interventions,
       sum(n_ready)::BIGINT AS ready,
       (sum(n) - sum(n_ready))::BIGINT AS left_out
FROM rollup_intervention_cells
WHERE
-- include: fragments/scope
  AND ($month IS NULL OR month = $month)
GROUP BY month, station_id, manufacturer_id
ORDER BY month DESC, station_id, manufacturer_id;
