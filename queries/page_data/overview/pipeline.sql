-- The pipeline of the Overview page: of the interventions reported (completed) in the selection,
-- how many reached each stage. Stages are counted independently over the same set (an intervention
-- can be invoiced without being ready, so the counts need not decrease):
--   reported   every intervention of the selection (period on completed_on, metrics.md "Attribution")
--   ready      verification status = 'ready'
--   invoiced   it has at least one invoice line (metrics.md "Invoiced")
--   disputed   it has at least one dispute
--   resolved   it has disputes and every one of them is resolved (withdrawn included)
--   paid       invoiced, and every invoice carrying its lines has a paid_on
-- and the funnel of the same page, each stage within the one before (analytics.page_data.overview.funnel):
--   ready_invoiced, ready_paid    ready and invoiced; and also paid
--   ready_disputed, ready_resolved ready, invoiced and disputed; and every dispute resolved
--   invoiced_blocked              invoiced while the verification status is blocked (a mark of its own)
-- Each stage is a count kept per cell by the engine (queries/engine/rollup_intervention_cells.sql,
-- from intervention_facts), so this reads the rollup, not the interventions: whole months from the
-- 'M' cells, the days of partly covered months from the 'D' cells (as metrics/metric_table.sql).
-- Scope and filters as bound parameters (analytics/scope.py, analytics/filters.py idioms).
SELECT
    coalesce(sum(n), 0)::BIGINT          AS reported,
    coalesce(sum(n_ready), 0)::BIGINT    AS ready,
    coalesce(sum(n_invoiced), 0)::BIGINT AS invoiced,
    coalesce(sum(n_disputed), 0)::BIGINT AS disputed,
    coalesce(sum(n_resolved), 0)::BIGINT AS resolved,
    coalesce(sum(n_paid), 0)::BIGINT     AS paid,
    coalesce(sum(n_ready_invoiced), 0)::BIGINT   AS ready_invoiced,
    coalesce(sum(n_ready_paid), 0)::BIGINT       AS ready_paid,
    coalesce(sum(n_ready_disputed), 0)::BIGINT   AS ready_disputed,
    coalesce(sum(n_ready_resolved), 0)::BIGINT   AS ready_resolved,
    coalesce(sum(n_invoiced_blocked), 0)::BIGINT AS invoiced_blocked
FROM intervention_cells
WHERE
-- include: fragments/cell_selection
;
