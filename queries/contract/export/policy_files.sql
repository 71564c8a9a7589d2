-- The policy files as they were imported (verbatim TOML), one per manufacturer.
SELECT manufacturer_id, file_name, toml_text FROM policy_files ORDER BY manufacturer_id
