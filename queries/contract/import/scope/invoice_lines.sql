-- Ingest by a station or a brand: an invoice line must be on one of the sender's invoices and bill
-- one of its interventions (store or import); unknown and another's read the same.
SELECT l._file, l._row, 'invoice_id' AS "column", l.invoice_id AS value,
       'there is no invoice ''' || coalesce(l.invoice_id, '') || ''' of ' || $who
       || ' in the store or in this import' AS message
FROM stg_invoice_lines l
WHERE NOT EXISTS (
    SELECT 1 FROM eff_invoices v
    WHERE v.invoice_id = l.invoice_id
      AND NOT (($scope_manufacturer IS NOT NULL AND v.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
               OR ($scope_station IS NOT NULL AND v.station_id IS DISTINCT FROM $scope_station)))
UNION ALL
SELECT l._file, l._row, 'intervention_id', l.intervention_id,
       'there is no intervention ''' || coalesce(l.intervention_id, '') || ''' of ' || $who
       || ' in the store or in this import'
FROM stg_invoice_lines l
WHERE NOT EXISTS (
    SELECT 1 FROM eff_interventions i
    WHERE i.intervention_id = l.intervention_id
      AND NOT (($scope_manufacturer IS NOT NULL AND i.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
               OR ($scope_station IS NOT NULL AND i.station_id IS DISTINCT FROM $scope_station)))
