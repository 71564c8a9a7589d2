-- Combos (manufacturer, version, station) are rebuilt when no intervention outside eng_iv uses them any
-- more (all of a manufacturer's when its policy changed): those are deleted, the others kept as they are
-- (eng_combo_present), and policy_in_force.sql builds the combos eng_iv uses that are not present.
CREATE OR REPLACE TEMP TABLE eng_combo_gone AS
WITH candidates AS (
    SELECT DISTINCT manufacturer_id, policy_valid_from AS valid_from, station_id
    FROM intervention_policy
    WHERE has_policy AND iv_key IN (SELECT iv_key FROM eng_iv)
    UNION
    SELECT manufacturer_id, valid_from, station_id FROM policy_combo
    WHERE manufacturer_id IN (SELECT key FROM engine_changes WHERE kind = 'policy')
)
SELECT * FROM candidates
EXCEPT
SELECT ip.manufacturer_id, ip.policy_valid_from, ip.station_id
FROM intervention_policy ip
SEMI JOIN candidates c
  ON c.manufacturer_id = ip.manufacturer_id AND c.valid_from = ip.policy_valid_from AND c.station_id = ip.station_id
WHERE ip.has_policy AND ip.iv_key NOT IN (SELECT iv_key FROM eng_iv);

DELETE FROM policy_resolved r USING eng_combo_gone g
WHERE r.manufacturer_id = g.manufacturer_id AND r.valid_from = g.valid_from AND r.station_id = g.station_id;
DELETE FROM policy_combo c USING eng_combo_gone g
WHERE c.manufacturer_id = g.manufacturer_id AND c.valid_from = g.valid_from AND c.station_id = g.station_id;
DELETE FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv);

CREATE OR REPLACE TEMP TABLE eng_combo_present AS
SELECT manufacturer_id, valid_from, station_id FROM policy_combo;
