-- The scope of an incremental refresh, from the writer's change set (engine_changes, see
-- analytics/engine/changes.py) and the derived tables as they stood before it (their old values:
-- an intervention's old comeback partners, old outlier group, old cells). docs/ENGINE.md
-- "Incremental refresh" states the dependency rules; each model's pre-step (this folder, same name)
-- widens the scope with what the models before it changed.
CREATE OR REPLACE TEMP TABLE eng_iv_row AS
SELECT DISTINCT key AS intervention_id FROM engine_changes WHERE kind = 'intervention';

-- interventions whose policy in force, documents, amounts and findings are recomputed
CREATE OR REPLACE TEMP TABLE eng_iv AS
SELECT intervention_id FROM eng_iv_row
UNION
SELECT key FROM engine_changes WHERE kind IN ('document', 'line')
UNION
SELECT intervention_id FROM invoice_lines
WHERE invoice_id IN (SELECT key FROM engine_changes WHERE kind = 'invoice')
UNION
SELECT intervention_id FROM interventions
WHERE station_id IN (SELECT key FROM engine_changes WHERE kind = 'station')
   OR manufacturer_id IN (SELECT key FROM engine_changes WHERE kind = 'policy')
UNION  -- old comeback partners (the new ones are added once comebacks is refreshed)
SELECT first_intervention_id FROM comebacks
WHERE comeback_intervention_id IN (SELECT intervention_id FROM eng_iv_row)
UNION
SELECT comeback_intervention_id FROM comebacks
WHERE first_intervention_id IN (SELECT intervention_id FROM eng_iv_row);

-- interventions whose decisions, status and facts are recomputed (eng_iv and outlier changes are added later)
CREATE OR REPLACE TEMP TABLE eng_iv_status AS
SELECT key AS intervention_id FROM engine_changes WHERE kind = 'entry'
UNION
SELECT intervention_id FROM disputes
WHERE dispute_id IN (SELECT key FROM engine_changes WHERE kind = 'dispute')
UNION
SELECT intervention_id FROM dispute_facts
WHERE dispute_id IN (SELECT key FROM engine_changes WHERE kind = 'dispute')
UNION
SELECT intervention_id FROM intervention_facts
WHERE currency || '|' || month IN (SELECT key FROM engine_changes WHERE kind = 'fx');

-- outlier groups (manufacturer, repair code) of the changed rows, old and new
CREATE OR REPLACE TEMP TABLE eng_group AS
SELECT manufacturer_id, repair_code FROM intervention_facts
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_row)
UNION
SELECT manufacturer_id, repair_code FROM interventions
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_row);

CREATE OR REPLACE TEMP TABLE eng_dispute AS
SELECT DISTINCT key AS dispute_id FROM engine_changes WHERE kind = 'dispute';

CREATE OR REPLACE TEMP TABLE eng_invoice AS
SELECT key AS invoice_id FROM engine_changes WHERE kind = 'invoice'
UNION
SELECT invoice_id FROM invoices WHERE station_id IN (SELECT key FROM engine_changes WHERE kind = 'station');

-- (manufacturer, month, station) whose rollup cells are recomputed (filled by rollup_intervention_cells.sql)
CREATE OR REPLACE TEMP TABLE eng_cell (manufacturer_id VARCHAR, month VARCHAR, station_id VARCHAR);
CREATE OR REPLACE TEMP TABLE eng_combo_present (manufacturer_id VARCHAR, valid_from DATE, station_id VARCHAR);

-- Filled by the pre-steps; created empty here so that a model skipped for an empty scope leaves them defined.
CREATE OR REPLACE TEMP TABLE eng_outlier_iv (intervention_id VARCHAR);
CREATE OR REPLACE TEMP TABLE eng_group_old AS SELECT * FROM outlier_groups LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_iv_facts_old AS SELECT * FROM intervention_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_dispute_facts_old AS SELECT * FROM dispute_facts LIMIT 0;
CREATE OR REPLACE TEMP TABLE eng_invoice_facts_old AS SELECT * FROM invoice_facts LIMIT 0;
