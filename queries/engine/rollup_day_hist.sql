-- rollup_day_hist: integer-day histograms (value, n) behind the exact medians of metrics.md:
--   measure 'tat_days'                 completed_on - requested_on of each intervention
--   measure 'dispute_resolution_days'  resolved_on - opened_on of each resolved dispute
--                                      (withdrawn included), attributed to its intervention
--   measure 'days_to_pay'              paid_on - issued_on of each paid invoice, attributed to the
--                                      invoice (product_category '' : invoices have none)
-- per cell (manufacturer, month, station, country, region, product_category) in the two grains
-- of rollup_intervention_cells: 'M' stored here, 'D' the view day_hist_daily computed on demand
-- from the facts; the view day_hist is both. The median of any union of cells is read from the summed
-- histogram: the middle value, or the mean of the two middle values for an even count.
-- Like rollup_intervention_cells.sql, the month rows are sums (`signed`): of the day rows of the facts
-- of eng_cell_scan (every cell in a full refresh, none in an incremental one) and of eng_hist_signed
-- (filled by incremental/rollup_day_hist.sql: the cells' stored month rows, and the day rows of the
-- changed facts rows, new version 1, old -1); a (cell, value) whose count falls to 0 has no row.
CREATE OR REPLACE VIEW day_hist_daily AS
WITH hist_intervention_facts AS (SELECT * FROM intervention_facts),
hist_dispute_facts AS (SELECT * FROM dispute_facts),
hist_invoice_facts AS (SELECT * FROM invoice_facts),
-- include: fragments/day_hist_daily
SELECT * FROM daily;

-- (eng_hist_signed is created empty here when no pre-step made it: its columns are the day rows')
CREATE TEMP TABLE IF NOT EXISTS eng_hist_signed AS
WITH hist_intervention_facts AS (SELECT * FROM intervention_facts LIMIT 0),
hist_dispute_facts AS (SELECT * FROM dispute_facts LIMIT 0),
hist_invoice_facts AS (SELECT * FROM invoice_facts LIMIT 0),
-- include: fragments/day_hist_daily
SELECT 1 AS sign, * FROM daily;

CREATE OR REPLACE TABLE rollup_day_hist AS
WITH hist_intervention_facts AS (
    -- scope: the (manufacturer, month, station) cells in eng_cell_scan
    SELECT * FROM intervention_facts SEMI JOIN eng_cell_scan USING (manufacturer_id, month, station_id)
), hist_dispute_facts AS (
    SELECT * FROM dispute_facts SEMI JOIN eng_cell_scan USING (manufacturer_id, month, station_id)
), hist_invoice_facts AS (
    SELECT * FROM invoice_facts SEMI JOIN eng_cell_scan USING (manufacturer_id, month, station_id)
),
-- include: fragments/day_hist_daily
, signed AS (
    SELECT 1 AS sign, * FROM daily
    UNION ALL BY NAME
    SELECT * FROM eng_hist_signed
)
SELECT
    'M' AS grain,
    measure, manufacturer_id, month, station_id, country, region, product_category,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    value,
    sum(sign * n)::BIGINT AS n
FROM signed
GROUP BY measure, manufacturer_id, month, station_id, country, region, product_category, value
HAVING sum(sign * n) <> 0
ORDER BY measure, manufacturer_id, month;

CREATE OR REPLACE VIEW day_hist AS
SELECT * FROM rollup_day_hist
UNION ALL BY NAME
SELECT * FROM day_hist_daily;
