-- The funnel of the Overview page: of the interventions completed in the selection, each stage
-- counted within the interventions of the stage before, so the counts only go down:
--   reported   every intervention of the selection (period on completed_on)
--   ready      of those, verification status = 'ready'
--   invoiced   of the ready ones, those with at least one invoice line
--   paid       of the ready and invoiced ones, those whose every invoice carrying their lines is paid
-- and beside it, within the ready and invoiced ones: disputed (at least one dispute) and resolved
-- (disputed, every dispute resolved); and the interventions invoiced while their status is
-- blocked (outside the funnel: a mark of its own). Counts kept per cell by the engine
-- (queries/engine/rollup_intervention_cells.sql); whole months from the 'M' cells, the days of
-- partly covered months from the 'D' cells (fragments/cell_selection).
SELECT
    coalesce(sum(n), 0)::BIGINT                  AS reported,
    coalesce(sum(n_ready), 0)::BIGINT            AS ready,
    coalesce(sum(n_ready_invoiced), 0)::BIGINT   AS invoiced,
    coalesce(sum(n_ready_paid), 0)::BIGINT       AS paid,
    coalesce(sum(n_ready_disputed), 0)::BIGINT   AS disputed,
    coalesce(sum(n_ready_resolved), 0)::BIGINT   AS resolved,
    coalesce(sum(n_invoiced_blocked), 0)::BIGINT AS invoiced_blocked
FROM intervention_cells
WHERE
-- include: fragments/cell_selection
;
