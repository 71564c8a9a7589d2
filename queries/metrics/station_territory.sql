-- A station's territory (data-contract.md: country, and region or '' when none).
SELECT country, coalesce(region, '') AS region FROM stations WHERE station_id = $station_id;
