-- The fx_rates a euro figure of the selection lacks (metrics.md "Amounts": a euro figure has no
-- value when an intervention contributing an amount - requested, calculated or disputed - has no
-- rate for its completed_on month). One row per (currency, month) with the number of such
-- interventions. Same cell selection, scope and filters as metrics/metric_table.sql.
SELECT currency, month, sum(n_amount) AS interventions
FROM (
    SELECT currency, month, eur_rate, n_amount
    FROM intervention_cells
    WHERE ($date_from IS NULL OR day_from >= $date_from)
      AND ($date_to IS NULL OR day_to <= $date_to)
      AND (grain = 'M') = (($date_from IS NULL OR month_from >= $date_from)
                           AND ($date_to IS NULL OR month_to <= $date_to))
      AND ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR station_id = $scope_station)
      AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
      AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
      AND ($countries IS NULL OR list_contains($countries, country))
      AND ($regions IS NULL OR list_contains($regions, region))
      AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
)
WHERE eur_rate IS NULL AND currency IS NOT NULL AND n_amount > 0
GROUP BY currency, month
ORDER BY currency, month;
