-- Policy in force per intervention (policy-format.md "Resolution", verification.md "Policy in force"):
-- the manufacturer's version with the latest valid_from <= completed_on (ASOF join); then, for the
-- intervention's station, start from base and apply the country override (station.country = key),
-- the region override (station.country AND station.region equal its keys), then the station's own
-- override; a more specific level replaces a scalar or a list, and tables (standard_minutes,
-- required_documents_by_*) merge item by item (each item is resolved on its own).
--
-- Tables built here:
--   policy_resolved      one row per (manufacturer, version, station) in use, key and item: the winning
--                        value and the level it came from ('base' | 'country' | 'region' | 'station')
--   policy_combo         one row per (manufacturer, version, station) in use: the scalars pivoted,
--                        applied_overrides ("base; country FR; region FR10; station S0042": levels that
--                        set at least one value for it), policy_label for explanations, interventions (how
--                        many interventions use it: an incremental refresh drops a combo whose count reaches 0)
--   intervention_policy  one row per intervention (docs/ENGINE.md "Policies and verification"), with
--                        combo_id (its policy_combo row), coverage and product_category for cheap joins,
--                        iv_key (the engine's integer key of the intervention, migration 007)
-- Scope (docs/ENGINE.md "Incremental refresh"): the interventions in eng_iv; the combos they use that are
-- not in eng_combo_present (the combos kept by an incremental refresh; empty in a full one) are built.
-- combo_id is a hash of (manufacturer, version, station), so it does not depend on the other combos.

-- Number shown without trailing zeros (25.000000 -> 25, 0.200000 -> 0.2); used by explanations.
CREATE OR REPLACE MACRO vf_num(x) AS (
    CASE WHEN contains(CAST(x AS VARCHAR), '.')
         THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.')
         ELSE CAST(x AS VARCHAR) END
);

CREATE OR REPLACE TEMP TABLE vf_intervention_version AS
SELECT i.intervention_id, i.manufacturer_id, i.station_id, i.repair_code, i.coverage, i.product_category,
       v.valid_from, i.iv_key
FROM (SELECT * FROM interventions WHERE iv_key IN (SELECT iv_key FROM eng_iv)) i
ASOF LEFT JOIN policy_versions v
    ON i.manufacturer_id = v.manufacturer_id AND i.completed_on >= v.valid_from;

CREATE OR REPLACE TEMP TABLE vf_combo_used AS
SELECT DISTINCT manufacturer_id, valid_from, station_id
FROM vf_intervention_version WHERE valid_from IS NOT NULL;

CREATE OR REPLACE TEMP TABLE vf_applicable AS
WITH combos AS (
    SELECT DISTINCT c.manufacturer_id, c.valid_from, c.station_id, s.country, s.region
    FROM (SELECT * FROM vf_combo_used
          EXCEPT
          SELECT manufacturer_id, valid_from, station_id FROM eng_combo_present) c
    LEFT JOIN stations s ON s.station_id = c.station_id
)
SELECT c.manufacturer_id, c.valid_from, c.station_id, c.country AS station_country, c.region AS station_region,
       pv.level, pv.country, pv.region, pv.key, pv.item, pv.num_value, pv.text_value, pv.list_value,
       CASE pv.level WHEN 'base' THEN 1 WHEN 'country' THEN 2 WHEN 'region' THEN 3 ELSE 4 END AS rank
FROM combos c
JOIN policy_values pv ON pv.manufacturer_id = c.manufacturer_id AND pv.valid_from = c.valid_from
WHERE pv.level = 'base'
   OR (pv.level = 'country' AND pv.country = c.country)
   OR (pv.level = 'region' AND pv.country = c.country AND pv.region = c.region)
   OR (pv.level = 'station' AND pv.station_id = c.station_id);

CREATE OR REPLACE TABLE policy_resolved AS
SELECT manufacturer_id, valid_from, station_id, key, item, level, num_value, text_value, list_value
FROM vf_applicable
QUALIFY row_number() OVER (PARTITION BY manufacturer_id, valid_from, station_id, key, item ORDER BY rank DESC) = 1;

CREATE OR REPLACE TABLE policy_combo AS
WITH levels AS (
    SELECT manufacturer_id, valid_from, station_id,
           any_value(station_country) AS country,
           any_value(station_region) AS region,
           bool_or(level = 'base') AS has_base,
           bool_or(level = 'country') AS has_country,
           bool_or(level = 'region') AS has_region,
           bool_or(level = 'station') AS has_station
    FROM vf_applicable
    GROUP BY ALL
), scalars AS (
    SELECT manufacturer_id, valid_from, station_id,
           max(text_value) FILTER (WHERE key = 'currency') AS currency,
           max(num_value) FILTER (WHERE key = 'vat_rate') AS vat_rate,
           max(num_value) FILTER (WHERE key = 'labor_rate_per_hour') AS labor_rate_per_hour,
           max(num_value) FILTER (WHERE key = 'no_fault_found_fee') AS no_fault_found_fee,
           max(num_value) FILTER (WHERE key = 'travel_flat_fee') AS travel_flat_fee,
           max(num_value) FILTER (WHERE key = 'travel_free_km') AS travel_free_km,
           max(num_value) FILTER (WHERE key = 'travel_rate_per_km') AS travel_rate_per_km,
           max(num_value) FILTER (WHERE key = 'max_travel_km') AS max_travel_km,
           max(num_value) FILTER (WHERE key = 'parts_markup') AS parts_markup,
           CAST(max(num_value) FILTER (WHERE key = 'warranty_months') AS INTEGER) AS warranty_months,
           CAST(max(num_value) FILTER (WHERE key = 'extended_months') AS INTEGER) AS extended_months,
           CAST(max(num_value) FILTER (WHERE key = 'submission_deadline_days') AS INTEGER) AS submission_deadline_days,
           CAST(max(num_value) FILTER (WHERE key = 'repeat_window_days') AS INTEGER) AS repeat_window_days,
           max(num_value) FILTER (WHERE key = 'labor_tolerance') AS labor_tolerance,
           max(num_value) FILTER (WHERE key = 'amount_tolerance') AS amount_tolerance
    FROM policy_resolved
    WHERE item = ''
    GROUP BY ALL
)
SELECT hash(l.manufacturer_id, l.valid_from, l.station_id) AS combo_id,
       l.manufacturer_id, l.valid_from, l.station_id, l.country, l.region,
       l.has_country, l.has_region, l.has_station,
       concat_ws('; ',
           'base',
           CASE WHEN l.has_country THEN 'country ' || l.country END,
           CASE WHEN l.has_region THEN 'region ' || l.region END,
           CASE WHEN l.has_station THEN 'station ' || l.station_id END) AS applied_overrides,
       'policy ' || l.manufacturer_id || ' ' || strftime(l.valid_from, '%Y-%m-%d') || ', '
           || coalesce(l.country, '?')
           || CASE WHEN l.has_region THEN ' ' || l.region ELSE '' END
           || CASE WHEN l.has_station THEN ', station ' || l.station_id ELSE '' END AS policy_label,
       s.* EXCLUDE (manufacturer_id, valid_from, station_id),
       u.interventions
FROM levels l
JOIN scalars s USING (manufacturer_id, valid_from, station_id)
JOIN (SELECT manufacturer_id, valid_from, station_id, count(*) AS interventions
      FROM vf_intervention_version GROUP BY ALL) u USING (manufacturer_id, valid_from, station_id);

-- The combos an incremental refresh kept (eng_combo_present; none in a full refresh) count the
-- interventions of eng_iv that use them now (the pre-step took off those that used them before).
UPDATE policy_combo c SET interventions = c.interventions + u.interventions
FROM (SELECT manufacturer_id, valid_from, station_id, count(*) AS interventions
      FROM vf_intervention_version
      SEMI JOIN eng_combo_present USING (manufacturer_id, valid_from, station_id)
      GROUP BY ALL) u
WHERE c.manufacturer_id = u.manufacturer_id AND c.valid_from = u.valid_from AND c.station_id = u.station_id;

-- Standard time per (combo, repair code): a small lookup instead of the long policy_resolved.
CREATE OR REPLACE TEMP TABLE vf_standard AS
SELECT pc.combo_id, r.item AS repair_code, r.num_value AS minutes, r.level
FROM policy_resolved r
JOIN policy_combo pc USING (manufacturer_id, valid_from, station_id)
SEMI JOIN vf_combo_used u USING (manufacturer_id, valid_from, station_id)
WHERE r.key = 'standard_minutes';

CREATE OR REPLACE TABLE intervention_policy AS
SELECT iv.intervention_id, iv.manufacturer_id, iv.station_id,
       pc.manufacturer_id IS NOT NULL AS has_policy,
       CASE WHEN pc.manufacturer_id IS NOT NULL THEN iv.valid_from END AS policy_valid_from,
       pc.applied_overrides, pc.policy_label,
       pc.country AS policy_country, pc.region AS policy_region,
       pc.currency, pc.vat_rate, pc.labor_rate_per_hour, pc.no_fault_found_fee, pc.travel_flat_fee,
       pc.travel_free_km, pc.travel_rate_per_km, pc.max_travel_km, pc.parts_markup,
       pc.warranty_months, pc.extended_months, pc.submission_deadline_days, pc.repeat_window_days,
       pc.labor_tolerance, pc.amount_tolerance,
       sm.minutes AS standard_minutes,
       sm.level AS standard_minutes_level,
       pc.combo_id, iv.coverage, iv.product_category,
       iv.iv_key  -- the engine's key (migration 007): what the scopes find the row by
FROM vf_intervention_version iv
LEFT JOIN policy_combo pc
    ON pc.manufacturer_id = iv.manufacturer_id AND pc.valid_from = iv.valid_from AND pc.station_id = iv.station_id
LEFT JOIN vf_standard sm
    ON sm.combo_id = pc.combo_id AND sm.repair_code = iv.repair_code;

DROP TABLE vf_standard;
DROP TABLE vf_applicable;
DROP TABLE vf_combo_used;
DROP TABLE vf_intervention_version;
