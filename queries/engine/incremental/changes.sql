-- The scope of an incremental refresh, from the writer's change set (engine_changes, see
-- analytics/engine/changes.py) and the derived tables as they stood before it (their old values:
-- an intervention's old comeback partners, old outlier group, old cells). docs/ENGINE.md
-- "Incremental refresh" states the dependency rules; each model's pre-step (this folder, same name)
-- widens the scope with what the models before it changed. An intervention scope holds both keys
-- (intervention_id, iv_key): the models find the rows of their derived tables and of `interventions`
-- by `iv_key`, those of the tables without it (disputes, finding entries) by the text key.
-- The interventions the change set names by their text key (contract tables keep it), with the
-- scope each starts: 'intervention' (its own row), 'input' (its documents or invoice lines), 'status'
-- (its finding entries or disputes). Translated to the engine's key (migration 007) here, once: every
-- later scope filter and DELETE reads `iv_key`, a BIGINT found ~6x cheaper than the text key at 10M.
CREATE OR REPLACE TEMP TABLE eng_named AS
SELECT 'intervention' AS scope, key AS intervention_id FROM engine_changes WHERE kind = 'intervention'
UNION
SELECT 'input', key FROM engine_changes WHERE kind IN ('document', 'line')
UNION
SELECT 'input', intervention_id FROM invoice_lines
WHERE invoice_id IN (SELECT key FROM engine_changes WHERE kind = 'invoice')
UNION
SELECT 'status', key FROM engine_changes WHERE kind = 'entry'
UNION
SELECT 'status', intervention_id FROM disputes
WHERE dispute_id IN (SELECT key FROM engine_changes WHERE kind = 'dispute')
UNION
SELECT 'status', intervention_id FROM dispute_facts
WHERE dispute_id IN (SELECT key FROM engine_changes WHERE kind = 'dispute');

CREATE OR REPLACE TEMP TABLE eng_named_key AS
SELECT n.scope, i.intervention_id, i.iv_key
FROM interventions i
JOIN eng_named n USING (intervention_id);

CREATE OR REPLACE TEMP TABLE eng_iv_row AS
SELECT DISTINCT intervention_id, iv_key FROM eng_named_key WHERE scope = 'intervention';

-- interventions whose policy in force, documents, amounts and findings are recomputed
CREATE OR REPLACE TEMP TABLE eng_iv AS
SELECT intervention_id, iv_key FROM eng_named_key WHERE scope IN ('intervention', 'input')
UNION
-- (two semi joins, not one OR: a join with nothing to find reads nothing, an OR of two reads both
-- text columns of every intervention)
SELECT intervention_id, iv_key FROM interventions
WHERE station_id IN (SELECT key FROM engine_changes WHERE kind = 'station')
UNION
SELECT intervention_id, iv_key FROM interventions
WHERE manufacturer_id IN (SELECT key FROM engine_changes WHERE kind = 'policy')
UNION  -- the old later partners: their nearest earlier repair may have been the changed row (the new
       -- partners are added once comebacks is refreshed, incremental/comeback_nearest.sql)
SELECT comeback_intervention_id, comeback_iv_key FROM comebacks
WHERE first_iv_key IN (SELECT iv_key FROM eng_iv_row);

-- interventions whose decisions, status and facts are recomputed (eng_iv and outlier changes are added later)
CREATE OR REPLACE TEMP TABLE eng_iv_status AS
SELECT intervention_id, iv_key FROM eng_named_key WHERE scope = 'status'
UNION
SELECT intervention_id, iv_key FROM intervention_facts
WHERE currency || '|' || month IN (SELECT key FROM engine_changes WHERE kind = 'fx')
UNION
-- An earlier partner of a changed row keeps its findings and amounts (they look only further back, at its
-- own nearest earlier repair); only its comeback_90 can change, and only through a pair within 90 days.
SELECT first_intervention_id, first_iv_key FROM comebacks
WHERE gap_days <= 90 AND comeback_iv_key IN (SELECT iv_key FROM eng_iv_row);

-- outlier groups (manufacturer, repair code) of the changed rows, old and new
CREATE OR REPLACE TEMP TABLE eng_group AS
SELECT manufacturer_id, repair_code FROM intervention_facts
WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
UNION
SELECT manufacturer_id, repair_code FROM interventions
WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);

CREATE OR REPLACE TEMP TABLE eng_dispute AS
SELECT DISTINCT key AS dispute_id FROM engine_changes WHERE kind = 'dispute';

CREATE OR REPLACE TEMP TABLE eng_invoice AS
SELECT key AS invoice_id FROM engine_changes WHERE kind = 'invoice'
UNION
SELECT invoice_id FROM invoices WHERE station_id IN (SELECT key FROM engine_changes WHERE kind = 'station');

-- (manufacturer, month, station) whose rollup cells are recomputed (filled by rollup_intervention_cells.sql)
CREATE OR REPLACE TEMP TABLE eng_cell (manufacturer_id VARCHAR, month VARCHAR, station_id VARCHAR);
-- cells whose month rows are summed from every facts row of the cell: none (the incremental rollups add
-- the changed rows' new version to the stored rows and subtract the old one: their pre-steps)
CREATE OR REPLACE TEMP TABLE eng_cell_scan (manufacturer_id VARCHAR, month VARCHAR, station_id VARCHAR);
CREATE OR REPLACE TEMP TABLE eng_combo_present (manufacturer_id VARCHAR, valid_from DATE, station_id VARCHAR);

-- Filled by the pre-steps; created empty here so that a model skipped for an empty scope leaves them defined.
CREATE OR REPLACE TEMP TABLE eng_outlier_iv (intervention_id VARCHAR, iv_key BIGINT);
CREATE OR REPLACE TEMP TABLE eng_group_old AS SELECT * FROM outlier_groups LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_iv_facts_old AS SELECT
-- include: fragments/facts_rollup_columns
FROM intervention_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_iv_facts_new AS SELECT * FROM eng_iv_facts_old;
CREATE OR REPLACE TEMP TABLE eng_dispute_facts_new AS SELECT * FROM dispute_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_invoice_facts_new AS SELECT * FROM invoice_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_dispute_facts_old AS SELECT * FROM dispute_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_invoice_facts_old AS SELECT * FROM invoice_facts LIMIT 0;
