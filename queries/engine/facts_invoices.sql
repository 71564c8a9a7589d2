-- invoice_facts: one row per invoice, attributed as metrics.md "Invoice figures" says: its
-- station, manufacturer, the station's country and region ('' when none), the month YYYY-MM of
-- its issued_on. days_to_pay = paid_on - issued_on (NULL when unpaid); paid = paid_on is set.
-- Scope: the invoices in eng_invoice.
CREATE OR REPLACE TABLE invoice_facts AS
SELECT
    v.invoice_id,
    strftime(v.issued_on, '%Y-%m') AS month,
    v.manufacturer_id,
    v.station_id,
    s.country,
    coalesce(s.region, '') AS region,
    v.issued_on,
    v.paid_on,
    v.paid_on IS NOT NULL AS paid,
    datediff('day', v.issued_on, v.paid_on) AS days_to_pay
FROM invoices v
JOIN stations s USING (station_id)
WHERE v.invoice_id IN (SELECT invoice_id FROM eng_invoice)
ORDER BY v.manufacturer_id, v.issued_on;  -- zone maps for the day cells (rollup_invoice_cells.sql)
