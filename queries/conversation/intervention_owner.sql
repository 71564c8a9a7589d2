-- The brand and station an intervention belongs to (who may write on its findings); no row when unknown.
SELECT manufacturer_id, station_id
FROM interventions
WHERE intervention_id = $intervention_id;
