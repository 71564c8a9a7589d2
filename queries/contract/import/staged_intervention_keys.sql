-- The engine's keys (migration 007) of the interventions the staged documents and invoice lines name,
-- read once (one scan of interventions filtered by the import's few keys) before those tables are
-- loaded; each loaded row takes its intervention's key from here (intervention_key_of.sql). Runs after
-- the import's own interventions were loaded and given their keys.
CREATE OR REPLACE TEMP TABLE stg_intervention_keys AS
SELECT intervention_id, iv_key FROM main.interventions
WHERE intervention_id IN (SELECT intervention_id FROM stg_documents
                          UNION ALL
                          SELECT intervention_id FROM stg_invoice_lines);
