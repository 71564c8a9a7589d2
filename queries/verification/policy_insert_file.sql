-- The policy file of one manufacturer, its text kept verbatim (for export).
INSERT INTO policy_files (manufacturer_id, file_name, toml_text) VALUES ($manufacturer_id, $file_name, $toml_text);
