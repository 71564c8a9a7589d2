-- Every station id known to the store (to warn about policy overrides for unknown stations).
SELECT station_id FROM stations;
