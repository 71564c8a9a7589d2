-- Ingest by a station or a brand: an invoice must be between the sender's own station (or brand)
-- and a partner, and may not replace an invoice of another.
SELECT g._file, g._row,
       CASE WHEN $scope_station IS NOT NULL THEN 'station_id' ELSE 'manufacturer_id' END AS "column",
       CASE WHEN $scope_station IS NOT NULL THEN g.station_id ELSE g.manufacturer_id END AS value,
       'invoice ' || coalesce(g.invoice_id, '') || ': ' || $who || ' may only send its own invoices' AS message
FROM stg_invoices g
WHERE ($scope_manufacturer IS NOT NULL AND g.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
   OR ($scope_station IS NOT NULL AND g.station_id IS DISTINCT FROM $scope_station)
UNION ALL
SELECT g._file, g._row, 'invoice_id', g.invoice_id,
       'invoice_id ' || g.invoice_id || ' cannot be used by ' || $who || ': choose another id for a new invoice'
FROM stg_invoices g
JOIN main.invoices v ON v.invoice_id = g.invoice_id
WHERE NOT (($scope_manufacturer IS NOT NULL AND g.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
           OR ($scope_station IS NOT NULL AND g.station_id IS DISTINCT FROM $scope_station))
  AND (($scope_manufacturer IS NOT NULL AND v.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
       OR ($scope_station IS NOT NULL AND v.station_id IS DISTINCT FROM $scope_station))
