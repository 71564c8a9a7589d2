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
WITH obs AS (
    SELECT 'tat_days' AS measure, manufacturer_id, month, station_id, country, region,
           product_category, completed_on AS day, tat_days AS value
    FROM intervention_facts
    UNION ALL
    SELECT 'dispute_resolution_days', manufacturer_id, month, station_id, country, region,
           product_category, completed_on, datediff('day', opened_on, resolved_on)
    FROM dispute_facts
    WHERE resolved_on IS NOT NULL
    UNION ALL
    SELECT 'days_to_pay', manufacturer_id, month, station_id, country, region,
           '', issued_on, days_to_pay
    FROM invoice_facts
    WHERE paid
)
SELECT
    'D' AS grain,
    measure, manufacturer_id, month, station_id, country, region, product_category,
    day AS day_from,
    day AS day_to,
    CAST(date_trunc('month', day) AS DATE) AS month_from,
    last_day(day) AS month_to,
    value,
    count(*) AS n
FROM obs
GROUP BY measure, manufacturer_id, month, station_id, country, region, product_category, day, value;

CREATE OR REPLACE TABLE rollup_day_hist AS
SELECT
    'M' AS grain,
    measure, manufacturer_id, month, station_id, country, region, product_category,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    value,
    sum(n)::BIGINT AS n
FROM day_hist_daily
-- scope: the (manufacturer, month) pairs in eng_month
SEMI JOIN eng_month USING (manufacturer_id, month)
GROUP BY measure, manufacturer_id, month, station_id, country, region, product_category, value
ORDER BY measure, manufacturer_id, month;

CREATE OR REPLACE VIEW day_hist AS
SELECT * FROM rollup_day_hist
UNION ALL BY NAME
SELECT * FROM day_hist_daily;
