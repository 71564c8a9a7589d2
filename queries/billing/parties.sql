-- What the store holds today about the parties of an invoice (provisional: names, countries, city).
SELECT s.name AS station_name, s.country AS station_country, s.city AS station_city,
       m.name AS manufacturer_name
FROM stations s, manufacturers m
WHERE s.station_id = $station_id AND m.manufacturer_id = $manufacturer_id
