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
CREATE OR REPLACE VIEW day_hist_daily AS
WITH hist_intervention_facts AS (SELECT * FROM intervention_facts),
hist_dispute_facts AS (SELECT * FROM dispute_facts),
hist_invoice_facts AS (SELECT * FROM invoice_facts),
-- include: fragments/day_hist_daily
SELECT * FROM daily;

CREATE OR REPLACE TABLE rollup_day_hist AS
WITH hist_intervention_facts AS (
    -- scope: the (manufacturer, month, station) cells in eng_cell
    SELECT * FROM intervention_facts SEMI JOIN eng_cell USING (manufacturer_id, month, station_id)
), hist_dispute_facts AS (
    SELECT * FROM dispute_facts SEMI JOIN eng_cell USING (manufacturer_id, month, station_id)
), hist_invoice_facts AS (
    SELECT * FROM invoice_facts SEMI JOIN eng_cell USING (manufacturer_id, month, station_id)
),
-- include: fragments/day_hist_daily
SELECT
    'M' AS grain,
    measure, manufacturer_id, month, station_id, country, region, product_category,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    value,
    sum(n)::BIGINT AS n
FROM daily
GROUP BY measure, manufacturer_id, month, station_id, country, region, product_category, value
ORDER BY measure, manufacturer_id, month;

CREATE OR REPLACE VIEW day_hist AS
SELECT * FROM rollup_day_hist
UNION ALL BY NAME
SELECT * FROM day_hist_daily;
