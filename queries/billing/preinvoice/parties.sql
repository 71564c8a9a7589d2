-- The names printed on a pre-invoice: the station's and the brand's (no row when either is unknown).
SELECT s.station_id, s.name AS station_name, s.country, coalesce(s.region, '') AS region,
       m.manufacturer_id, m.name AS manufacturer_name
FROM stations s, manufacturers m
WHERE s.station_id = $station_id AND m.manufacturer_id = $manufacturer_id
  -- Access control: outside a manager's view, only a station and a brand that work
  -- together (an intervention or an invoice between them) have pre-invoices; otherwise a brand
  -- could learn the name of a station that is not its own, or a station a brand it does not serve.
  AND (NOT $restricted
       OR EXISTS (SELECT 1 FROM interventions i
                  WHERE i.station_id = $station_id AND i.manufacturer_id = $manufacturer_id)
       OR EXISTS (SELECT 1 FROM invoices v
                  WHERE v.station_id = $station_id AND v.manufacturer_id = $manufacturer_id));
