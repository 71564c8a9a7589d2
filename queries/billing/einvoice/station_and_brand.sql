-- Which (station, brand) pairs exist among candidate ids (to read a pre-invoice reference back).
SELECT s.station_id, m.manufacturer_id
FROM stations s, manufacturers m
WHERE list_contains($station_ids, s.station_id) AND list_contains($manufacturer_ids, m.manufacturer_id)
