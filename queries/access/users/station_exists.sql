-- Whether a station id exists in the store (a user's scope must name a real station).
SELECT count(*) FROM stations WHERE station_id = $station_id;
