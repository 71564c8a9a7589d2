-- The stations the viewer may see among those of one manufacturer's score ($manufacturer_id;
-- fragments/scope) that the station, country and region filters select (the station's country, and
-- its region or '' when none, data-contract.md). The period and category filters do not apply: a
-- score is the station's over the whole period.
SELECT station_id
FROM (
    SELECT station_id, CAST($manufacturer_id AS VARCHAR) AS manufacturer_id, country,
           coalesce(region, '') AS region
    FROM stations
)
WHERE
-- include: fragments/scope
  AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
  AND ($countries IS NULL OR list_contains($countries, country))
  AND ($regions IS NULL OR list_contains($regions, region))
ORDER BY station_id;
