-- rollup_intervention_cells: the additive inputs of every intervention metric of metrics.md
-- (counts and exact DECIMAL sums), per cell of (manufacturer, month, station, country, region,
-- product_category, currency, eur_rate). Two grains so that any period stays exact:
--   grain 'M': one calendar month, stored here (day_from/day_to = first/last day of the month)
--   grain 'D': one completed_on day, the view intervention_cells_daily computed on demand from
--              intervention_facts (sorted by manufacturer and completed_on, so a period's edge
--              days are read through zone maps, not by a scan)
-- The view intervention_cells is both grains; a query takes the 'M' cells of the months its
-- period covers whole and the 'D' cells of the days it covers in the other months (see
-- queries/metrics/metric_table.sql). The 'M' cells are the sums of the 'D' cells of the month.
-- eur_rate depends only on (currency, month), so summing native amounts per cell and multiplying
-- by the cell's rate is the same exact sum as converting each intervention first.
-- Every aggregate is a count or a sum, so a month row is also its old value plus the day cells of the
-- changed facts rows' new version minus those of their old version: an incremental refresh reads no
-- other facts row (docs/ENGINE.md "Incremental refresh"). The month rows are summed from `signed`:
-- the day cells of the facts of eng_cell_scan (every cell in a full refresh, none in an incremental
-- one), sign 1, and the rows of eng_icell_signed (empty in a full refresh; filled by the pre-step
-- incremental/rollup_intervention_cells.sql: the cells' stored month rows, sign 1, and the changed
-- facts rows' day cells, sign 1 new and -1 old). A cell whose count falls to 0 has no row.
CREATE OR REPLACE VIEW intervention_cells_daily AS
WITH cell_facts AS (SELECT * FROM intervention_facts),
-- include: fragments/intervention_cells_daily
SELECT * FROM daily;

-- (eng_icell_signed is created empty here when no pre-step made it: its columns are the day cells')
CREATE TEMP TABLE IF NOT EXISTS eng_icell_signed AS
WITH cell_facts AS (SELECT * FROM intervention_facts LIMIT 0),
-- include: fragments/intervention_cells_daily
SELECT 1 AS sign, * FROM daily;

CREATE OR REPLACE TABLE rollup_intervention_cells AS
WITH cell_facts AS (
    -- scope: the (manufacturer, month, station) cells in eng_cell_scan
    SELECT * FROM intervention_facts SEMI JOIN eng_cell_scan USING (manufacturer_id, month, station_id)
),
-- include: fragments/intervention_cells_daily
, signed AS (
    SELECT 1 AS sign, * FROM daily
    UNION ALL BY NAME
    SELECT * FROM eng_icell_signed
)
SELECT
    'M' AS grain,
    manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    sum(sign * n)::BIGINT AS n, sum(sign * n_ftf)::BIGINT AS n_ftf, sum(sign * n_comeback)::BIGINT AS n_comeback,
    sum(sign * n_policy)::BIGINT AS n_policy, sum(sign * n_doc_complete)::BIGINT AS n_doc_complete,
    sum(sign * n_on_time)::BIGINT AS n_on_time, sum(sign * n_ready)::BIGINT AS n_ready,
    sum(sign * n_blocked)::BIGINT AS n_blocked, sum(sign * n_review)::BIGINT AS n_review,
    sum(sign * n_invoiced)::BIGINT AS n_invoiced, sum(sign * n_calculated)::BIGINT AS n_calculated,
    sum(sign * requested_sum)::DECIMAL(38, 2) AS requested_sum,
    sum(sign * calculated_sum)::DECIMAL(38, 2) AS calculated_sum,
    sum(sign * n_invoiced_disputed)::BIGINT AS n_invoiced_disputed, sum(sign * n_disputed)::BIGINT AS n_disputed,
    sum(sign * n_resolved)::BIGINT AS n_resolved, sum(sign * n_paid)::BIGINT AS n_paid,
    sum(sign * n_ready_invoiced)::BIGINT AS n_ready_invoiced, sum(sign * n_ready_paid)::BIGINT AS n_ready_paid,
    sum(sign * n_ready_disputed)::BIGINT AS n_ready_disputed, sum(sign * n_ready_resolved)::BIGINT AS n_ready_resolved,
    sum(sign * n_invoiced_blocked)::BIGINT AS n_invoiced_blocked,
    sum(sign * n_amount)::BIGINT AS n_amount, sum(sign * disputed_sum)::DECIMAL(38, 2) AS disputed_sum,
    sum(sign * n_decided)::BIGINT AS n_decided, sum(sign * n_station)::BIGINT AS n_station,
    sum(sign * rating_sum)::BIGINT AS rating_sum, sum(sign * rating_n)::BIGINT AS rating_n,
    sum(sign * labor_sum)::DECIMAL(38, 2) AS labor_sum
FROM signed
GROUP BY manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate
HAVING sum(sign * n) <> 0
ORDER BY manufacturer_id, month;

CREATE OR REPLACE VIEW intervention_cells AS
SELECT * FROM rollup_intervention_cells
UNION ALL BY NAME
SELECT * FROM intervention_cells_daily;
