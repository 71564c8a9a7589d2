-- The valid_from of every policy version of the manufacturer (policy-format.md: a version is in
-- force from its valid_from until the next one's), for looking up what is in force on a day.
SELECT valid_from FROM policy_versions WHERE manufacturer_id = $manufacturer_id ORDER BY valid_from;
