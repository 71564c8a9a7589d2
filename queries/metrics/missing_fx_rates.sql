-- The fx_rates a euro figure of the selection lacks (metrics.md "Amounts": a euro figure has no
-- value when an intervention contributing an amount - requested, calculated or disputed - has no
-- rate for its completed_on month). One row per (currency, month) with the number of such
-- interventions. Same cell selection, scope and filters as metrics/metric_table.sql.
SELECT currency, month, sum(n_amount) AS interventions
FROM (
    SELECT currency, month, eur_rate, n_amount
    FROM intervention_cells
    WHERE
-- include: fragments/cell_selection
)
WHERE eur_rate IS NULL AND currency IS NOT NULL AND n_amount > 0
GROUP BY currency, month
ORDER BY currency, month;
