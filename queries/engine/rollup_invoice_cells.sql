-- rollup_invoice_cells: counts behind unpaid_share (metrics.md "Invoice figures": share of
-- invoices with no paid_on), per (manufacturer, issued_on month, station, country, region), in
-- the same two grains as rollup_intervention_cells ('M' a month, 'D' an issued_on day).
CREATE OR REPLACE TABLE rollup_invoice_cells AS
SELECT
    CASE WHEN grouping(issued_on) = 1 THEN 'M' ELSE 'D' END AS grain,
    manufacturer_id, month, station_id, country, region,
    coalesce(issued_on, CAST(month || '-01' AS DATE)) AS day_from,
    coalesce(issued_on, last_day(CAST(month || '-01' AS DATE))) AS day_to,
    CAST(month || '-01' AS DATE) AS month_from,
    last_day(CAST(month || '-01' AS DATE)) AS month_to,
    count(*) AS n_invoices,
    count(*) FILTER (WHERE NOT paid) AS n_unpaid
FROM invoice_facts
GROUP BY GROUPING SETS (
    (manufacturer_id, month, station_id, country, region),
    (manufacturer_id, month, station_id, country, region, issued_on)
)
ORDER BY grain, manufacturer_id, month, station_id;
