-- One dated version of a manufacturer's policy (in force from valid_from until the next version).
INSERT INTO policy_versions (manufacturer_id, valid_from) VALUES ($manufacturer_id, $valid_from);
