-- rollup_invoice_cells: counts behind unpaid_share (metrics.md "Invoice figures": share of
-- invoices with no paid_on), per (manufacturer, issued_on month, station, country, region), in
-- the same two grains as rollup_intervention_cells: 'M' (a month) stored here, 'D' (an issued_on
-- day) the view invoice_cells_daily over invoice_facts (sorted by manufacturer and issued_on);
-- the view invoice_cells is both.
CREATE OR REPLACE VIEW invoice_cells_daily AS
SELECT
    'D' AS grain,
    manufacturer_id, month, station_id, country, region,
    issued_on AS day_from,
    issued_on AS day_to,
    CAST(date_trunc('month', issued_on) AS DATE) AS month_from,
    last_day(issued_on) AS month_to,
    count(*) AS n_invoices,
    count(*) FILTER (WHERE NOT paid) AS n_unpaid
FROM invoice_facts
GROUP BY manufacturer_id, month, station_id, country, region, issued_on;

CREATE OR REPLACE TABLE rollup_invoice_cells AS
SELECT
    'M' AS grain,
    manufacturer_id, month, station_id, country, region,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    sum(n_invoices)::BIGINT AS n_invoices,
    sum(n_unpaid)::BIGINT AS n_unpaid
FROM invoice_cells_daily
-- scope: the (manufacturer, month) pairs in eng_month
SEMI JOIN eng_month USING (manufacturer_id, month)
GROUP BY manufacturer_id, month, station_id, country, region
ORDER BY manufacturer_id, month;

CREATE OR REPLACE VIEW invoice_cells AS
SELECT * FROM rollup_invoice_cells
UNION ALL BY NAME
SELECT * FROM invoice_cells_daily;
