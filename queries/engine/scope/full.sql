-- The scope of a full refresh: every key (docs/ENGINE.md "Incremental refresh"). Each model reads
-- only the rows of its scope tables, so the full refresh is the same query over all keys.
-- an intervention scope holds both keys: the engine's iv_key (migration 007) and the text key
CREATE OR REPLACE TEMP TABLE eng_iv_row AS SELECT intervention_id, iv_key FROM interventions;
CREATE OR REPLACE TEMP TABLE eng_iv AS SELECT intervention_id, iv_key FROM interventions;
CREATE OR REPLACE TEMP TABLE eng_outlier_iv AS SELECT intervention_id, iv_key FROM interventions;
CREATE OR REPLACE TEMP TABLE eng_iv_status AS SELECT intervention_id, iv_key FROM interventions;
CREATE OR REPLACE TEMP TABLE eng_group AS SELECT DISTINCT manufacturer_id, repair_code FROM interventions;
CREATE OR REPLACE TEMP TABLE eng_dispute AS SELECT dispute_id FROM disputes;
CREATE OR REPLACE TEMP TABLE eng_invoice AS SELECT invoice_id FROM invoices;
CREATE OR REPLACE TEMP TABLE eng_combo_present (manufacturer_id VARCHAR, valid_from DATE, station_id VARCHAR);
CREATE OR REPLACE TEMP TABLE eng_cell AS
SELECT DISTINCT manufacturer_id, strftime(completed_on, '%Y-%m') AS month, station_id FROM interventions
UNION
SELECT DISTINCT manufacturer_id, strftime(issued_on, '%Y-%m'), station_id FROM invoices;
-- the rollups' month rows are summed from every facts row (rollup_intervention_cells.sql)
CREATE OR REPLACE TEMP TABLE eng_cell_scan AS SELECT * FROM eng_cell;
-- (made empty by the rollups' models: no rows left by another refresh on this connection)
DROP TABLE IF EXISTS temp.eng_icell_signed;
DROP TABLE IF EXISTS temp.eng_hist_signed;
