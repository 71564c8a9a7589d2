-- The keys read for the load (staged_intervention_keys.sql), dropped once the tables are loaded.
DROP TABLE IF EXISTS temp.stg_intervention_keys;
