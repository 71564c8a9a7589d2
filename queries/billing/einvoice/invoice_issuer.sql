-- Who issues the invoice of a station for a brand in a month (policy key invoice_issuer,
-- docs/EINVOICE.md): the policy version in force on the month's last day, the most specific level
-- that sets it (station > region > country > base); no row: the station (the default).
WITH version AS (
    SELECT max(valid_from) AS valid_from FROM policy_versions
    WHERE manufacturer_id = $manufacturer_id AND valid_from <= $month_end
), station AS (
    SELECT country, coalesce(region, '') AS region FROM stations WHERE station_id = $station_id
)
SELECT pv.text_value AS issuer, pv.level
FROM policy_values pv, version v, station s
WHERE pv.manufacturer_id = $manufacturer_id AND pv.valid_from = v.valid_from AND pv.key = 'invoice_issuer'
  AND (pv.level = 'base'
       OR (pv.level = 'country' AND pv.country = s.country)
       OR (pv.level = 'region' AND pv.country = s.country AND pv.region = s.region)
       OR (pv.level = 'station' AND pv.station_id = $station_id))
ORDER BY CASE pv.level WHEN 'station' THEN 4 WHEN 'region' THEN 3 WHEN 'country' THEN 2 ELSE 1 END DESC
LIMIT 1
