-- The station's party of an invoice (docs/CONTRACT-ADDITIONS.md): its legal entity
-- (station_legal) when the store holds one, else what stations holds (trade name, country,
-- city; source NULL), and the station's territory (stations.country). At most one row; none
-- when the station is unknown.
SELECT 'station_legal ' || l.station_id AS source, l.legal_name AS name, l.address_country AS country,
       l.street, l.city, l.postcode, l.vat_id, l.registration_id, l.iban, l.bic, s.country AS territory,
       1 AS preference
FROM station_legal l JOIN stations s USING (station_id) WHERE l.station_id = $station_id
UNION ALL
SELECT NULL, name, country, NULL, city, NULL, NULL, NULL, NULL, NULL, country, 2
FROM stations WHERE station_id = $station_id
ORDER BY preference
LIMIT 1
