-- The names printed on a pre-invoice: the station's and the brand's (no row when either is unknown).
SELECT s.station_id, s.name AS station_name, s.country, coalesce(s.region, '') AS region,
       m.manufacturer_id, m.name AS manufacturer_name
FROM stations s, manufacturers m
WHERE s.station_id = $station_id AND m.manufacturer_id = $manufacturer_id;
