-- Territories of each manufacturer's policy the viewer may see: the (country, region) of the
-- stations that did interventions for that manufacturer, plus every country and region its
-- policy overrides (any version). region is '' for a country as a whole. A station's region
-- override applies only when the station's region equals the key exactly (policy-format.md),
-- so regions are compared verbatim.
-- Scope: a manager sees all; a manufacturer its own policy's territories; a station only its own
-- territory, for the manufacturers it works for.
-- The served territories are read from the month cells of the engine's rollup (one cell per
-- manufacturer, station, country, region... with interventions; region '' for none).
WITH served AS (
    SELECT DISTINCT manufacturer_id, country, region
    FROM rollup_intervention_cells
    WHERE
-- include: fragments/scope
), overridden AS (
    SELECT DISTINCT p.manufacturer_id, p.country, p.region
    FROM policy_values p
    WHERE p.level IN ('country', 'region')
      AND
-- include: fragments/sees_other_stations
      AND
-- include: fragments/scope_brands
), countries_of_regions AS (
    SELECT manufacturer_id, country, '' AS region FROM served WHERE region <> ''
)
SELECT DISTINCT t.manufacturer_id, t.country, t.region
FROM (SELECT * FROM served UNION ALL SELECT * FROM overridden
      UNION ALL SELECT * FROM countries_of_regions WHERE
-- include: fragments/sees_other_stations
     ) t
WHERE t.manufacturer_id IN (SELECT manufacturer_id FROM policy_versions)
ORDER BY t.manufacturer_id, t.country, t.region;
