-- Ingest by a station or a brand: a document must be of one of the sender's interventions (in the
-- store or in this import). The same message whether the intervention is unknown or another's.
SELECT d._file, d._row, 'intervention_id' AS "column", d.intervention_id AS value,
       'there is no intervention ''' || coalesce(d.intervention_id, '') || ''' of ' || $who
       || ' in the store or in this import' AS message
FROM stg_documents d
WHERE NOT EXISTS (
    SELECT 1 FROM eff_interventions i
    WHERE i.intervention_id = d.intervention_id
      AND NOT (($scope_manufacturer IS NOT NULL AND i.manufacturer_id IS DISTINCT FROM $scope_manufacturer)
               OR ($scope_station IS NOT NULL AND i.station_id IS DISTINCT FROM $scope_station)))
