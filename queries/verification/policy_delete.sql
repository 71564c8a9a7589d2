-- Remove one manufacturer's policy (file, versions, values, bonus tiers) before storing its new file:
-- a policy file always replaces the manufacturer's whole policy.
DELETE FROM policy_bonus_tiers WHERE manufacturer_id = $manufacturer_id;
DELETE FROM policy_values WHERE manufacturer_id = $manufacturer_id;
DELETE FROM policy_versions WHERE manufacturer_id = $manufacturer_id;
DELETE FROM policy_files WHERE manufacturer_id = $manufacturer_id;
