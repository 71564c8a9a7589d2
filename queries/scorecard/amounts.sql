-- Requested vs calculated vs paid amounts of one station's interventions, per currency.
-- requested  = sum of the invoice lines of its interventions completed in the period (net of VAT);
-- calculated = sum of the policy's calculated amounts of those invoiced interventions (with a policy);
-- paid       = sum of paid_amount of the invoices of the station issued in the period
--              (invoice figures follow the invoice's issued_on, as in metrics.md).
-- Scope (station/manufacturer) and filters bound as parameters.
WITH iv AS (
    SELECT f.currency,
           sum(f.requested_amount) AS requested,
           sum(f.calculated_amount) FILTER (WHERE f.invoiced) AS calculated
    FROM intervention_facts f
    WHERE f.station_id = $station_id
      AND ($date_from IS NULL OR f.completed_on >= $date_from)
      AND ($date_to IS NULL OR f.completed_on <= $date_to)
      AND ($scope_manufacturer IS NULL OR f.manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR f.station_id = $scope_station)
      AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, f.manufacturer_id))
      AND ($product_categories IS NULL OR list_contains($product_categories, f.product_category))
    GROUP BY f.currency
), pay AS (
    SELECT v.currency, sum(v.paid_amount) AS paid
    FROM invoices v
    WHERE v.station_id = $station_id
      AND ($date_from IS NULL OR v.issued_on >= $date_from)
      AND ($date_to IS NULL OR v.issued_on <= $date_to)
      AND ($scope_manufacturer IS NULL OR v.manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR v.station_id = $scope_station)
      AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, v.manufacturer_id))
    GROUP BY v.currency
)
SELECT coalesce(iv.currency, pay.currency) AS currency, iv.requested, iv.calculated, pay.paid
FROM iv FULL OUTER JOIN pay ON iv.currency = pay.currency
WHERE coalesce(iv.currency, pay.currency) IS NOT NULL
ORDER BY currency
