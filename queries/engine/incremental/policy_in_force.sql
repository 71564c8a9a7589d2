-- Combos (manufacturer, version, station) are rebuilt when no intervention outside eng_iv uses them any
-- more (all of a manufacturer's when its policy changed, its interventions all being in eng_iv): those are
-- deleted, the others kept as they are (eng_combo_present), and policy_in_force.sql builds the combos eng_iv
-- uses that are not present. Each combo counts the interventions that use it (policy_combo.interventions):
-- taking off those of eng_iv (their rows in intervention_policy, found by key) leaves the users outside
-- eng_iv, so the combos gone are those at 0, without reading the other interventions.
UPDATE policy_combo c SET interventions = c.interventions - u.interventions
FROM (SELECT manufacturer_id, policy_valid_from AS valid_from, station_id, count(*) AS interventions
      FROM intervention_policy
      WHERE has_policy AND iv_key IN (SELECT iv_key FROM eng_iv)
      GROUP BY ALL) u
WHERE c.manufacturer_id = u.manufacturer_id AND c.valid_from = u.valid_from AND c.station_id = u.station_id;

CREATE OR REPLACE TEMP TABLE eng_combo_gone AS
SELECT manufacturer_id, valid_from, station_id FROM policy_combo WHERE interventions = 0;

DELETE FROM policy_resolved r USING eng_combo_gone g
WHERE r.manufacturer_id = g.manufacturer_id AND r.valid_from = g.valid_from AND r.station_id = g.station_id;
DELETE FROM policy_combo c USING eng_combo_gone g
WHERE c.manufacturer_id = g.manufacturer_id AND c.valid_from = g.valid_from AND c.station_id = g.station_id;
DELETE FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv);

CREATE OR REPLACE TEMP TABLE eng_combo_present AS
SELECT manufacturer_id, valid_from, station_id FROM policy_combo;
