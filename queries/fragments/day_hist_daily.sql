-- The day histograms (rollup_day_hist.sql): the CTEs obs and daily over hist_intervention_facts,
-- hist_dispute_facts and hist_invoice_facts (CTEs the including query defines before them: every facts row
-- for the view, the rows of some months for the stored table).
obs AS (
    SELECT 'tat_days' AS measure, manufacturer_id, month, station_id, country, region,
           product_category, completed_on AS day, tat_days AS value
    FROM hist_intervention_facts
    UNION ALL
    SELECT 'dispute_resolution_days', manufacturer_id, month, station_id, country, region,
           product_category, completed_on, datediff('day', opened_on, resolved_on)
    FROM hist_dispute_facts
    WHERE resolved_on IS NOT NULL
    UNION ALL
    SELECT 'days_to_pay', manufacturer_id, month, station_id, country, region,
           '', issued_on, days_to_pay
    FROM hist_invoice_facts
    WHERE paid
),
daily AS (
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
    GROUP BY measure, manufacturer_id, month, station_id, country, region, product_category, day, value
)
