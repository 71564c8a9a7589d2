-- Policy settings (policy-format.md) of every version the viewer may see, one row per setting
-- of one level: level base|country|region|station, the territory it applies to, the key, the
-- item (sub-key of a table such as standard_minutes, '' for scalars and lists) and the value
-- (num_value / text_value / list_value as stored; value_text the same as text, lists joined
-- with ", ", numbers without trailing zeros).
-- Scope: a manager sees every policy; a manufacturer only its own; a station only the policies
-- of the manufacturers whose interventions it has done, and of those only the base and the
-- overrides that apply to it (its country, its region within that country, itself).
SELECT p.manufacturer_id, p.valid_from, p.level, p.country, p.region, p.station_id,
       p.key, p.item, p.num_value, p.text_value, p.list_value,
       CASE
           WHEN p.num_value IS NOT NULL
               THEN rtrim(rtrim(CAST(p.num_value AS VARCHAR), '0'), '.')
           WHEN p.list_value IS NOT NULL THEN array_to_string(p.list_value, ', ')
           ELSE p.text_value
       END AS value_text
FROM policy_values p
WHERE
-- include: fragments/scope_policy_values
ORDER BY p.manufacturer_id, p.valid_from,
         CASE p.level WHEN 'base' THEN 0 WHEN 'country' THEN 1 WHEN 'region' THEN 2 ELSE 3 END,
         p.country, p.region, p.station_id, p.key, p.item;
