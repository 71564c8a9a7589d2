-- rollup_invoice_cells: counts behind unpaid_share (metrics.md "Invoice figures": share of
-- invoices with no paid_on), per (manufacturer, issued_on month, station, country, region), in
-- the same two grains as rollup_intervention_cells: 'M' (a month) stored here, 'D' (an issued_on
-- day) the view invoice_cells_daily over invoice_facts (sorted by manufacturer and issued_on);
-- the view invoice_cells is both.
CREATE OR REPLACE VIEW invoice_cells_daily AS
WITH cell_facts AS (SELECT * FROM invoice_facts),
-- include: fragments/invoice_cells_daily
SELECT * FROM daily;

CREATE OR REPLACE TABLE rollup_invoice_cells AS
WITH cell_facts AS (
    -- scope: the (manufacturer, month, station) cells in eng_cell
    SELECT * FROM invoice_facts SEMI JOIN eng_cell USING (manufacturer_id, month, station_id)
),
-- include: fragments/invoice_cells_daily
SELECT
    'M' AS grain,
    manufacturer_id, month, station_id, country, region,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    sum(n_invoices)::BIGINT AS n_invoices,
    sum(n_unpaid)::BIGINT AS n_unpaid
FROM daily
GROUP BY manufacturer_id, month, station_id, country, region
ORDER BY manufacturer_id, month;

CREATE OR REPLACE VIEW invoice_cells AS
SELECT * FROM rollup_invoice_cells
UNION ALL BY NAME
SELECT * FROM invoice_cells_daily;
