-- The day cells of invoice_facts (rollup_invoice_cells.sql), the CTE daily over the relation cell_facts (a CTE the
-- including query defines: every invoice facts row for the view, the rows of some months for the stored table).
daily AS (
    SELECT
        'D' AS grain,
        manufacturer_id, month, station_id, country, region,
        issued_on AS day_from,
        issued_on AS day_to,
        CAST(date_trunc('month', issued_on) AS DATE) AS month_from,
        last_day(issued_on) AS month_to,
        count(*) AS n_invoices,
        count(*) FILTER (WHERE NOT paid) AS n_unpaid
    FROM cell_facts
    GROUP BY manufacturer_id, month, station_id, country, region, issued_on
)
