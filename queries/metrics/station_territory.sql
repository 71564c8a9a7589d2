-- The territory of the listed stations (data-contract.md: country, and region or '' when none).
SELECT station_id, country, coalesce(region, '') AS region
FROM stations
WHERE list_contains($station_ids, station_id);
