-- A policy's manufacturer must exist, in the store or in this import (data-contract.md:
-- referential integrity across store plus import). Returns 1 row when it is known.
SELECT 1 FROM stg_manufacturers WHERE manufacturer_id = $manufacturer_id
UNION ALL
SELECT 1 FROM main.manufacturers WHERE manufacturer_id = $manufacturer_id
LIMIT 1
