-- Ingest by a station or a brand: a dispute must be on one of the sender's invoices and
-- interventions (store or import), and may not replace a dispute on another's invoice.
SELECT d._file, d._row, 'invoice_id' AS "column", d.invoice_id AS value,
       'there is no invoice ''' || coalesce(d.invoice_id, '') || ''' of ' || $who
       || ' in the store or in this import' AS message
FROM stg_disputes d
WHERE NOT EXISTS (
    SELECT 1 FROM eff_invoices v
    WHERE v.invoice_id = d.invoice_id
      AND NOT (($scope_manufacturer IS NOT NULL AND v.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
               OR ($scope_station IS NOT NULL AND v.station_id IS DISTINCT FROM $scope_station)))
UNION ALL
SELECT d._file, d._row, 'intervention_id', d.intervention_id,
       'there is no intervention ''' || coalesce(d.intervention_id, '') || ''' of ' || $who
       || ' in the store or in this import'
FROM stg_disputes d
WHERE NOT EXISTS (
    SELECT 1 FROM eff_interventions i
    WHERE i.intervention_id = d.intervention_id
      AND NOT (($scope_manufacturer IS NOT NULL AND i.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
               OR ($scope_station IS NOT NULL AND i.station_id IS DISTINCT FROM $scope_station)))
UNION ALL
SELECT d._file, d._row, 'dispute_id', d.dispute_id,
       'dispute_id ' || d.dispute_id || ' cannot be used by ' || $who || ': choose another id for a new dispute'
FROM stg_disputes d
JOIN main.disputes x ON x.dispute_id = d.dispute_id
JOIN main.invoices v ON v.invoice_id = x.invoice_id
WHERE ($scope_manufacturer IS NOT NULL AND v.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
   OR ($scope_station IS NOT NULL AND v.station_id IS DISTINCT FROM $scope_station)
