-- The facts rows of eng_iv_status, eng_dispute and eng_invoice as they are now (eng_*_facts_old: as they
-- were), read once for eng_cell and for the month rows' changes below and in rollup_day_hist.sql; the
-- interventions' with the rollups' columns only (fragments/facts_rollup_columns).
CREATE OR REPLACE TEMP TABLE eng_iv_facts_new AS
SELECT
-- include: fragments/facts_rollup_columns
FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
CREATE OR REPLACE TEMP TABLE eng_dispute_facts_new AS
SELECT * FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);
CREATE OR REPLACE TEMP TABLE eng_invoice_facts_new AS
SELECT * FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);

-- eng_cell: the (manufacturer, month, station) of every facts row that changed, in its old or its new
-- version (a row in one version only): the only cells whose sums can differ.
INSERT INTO eng_cell
WITH changed AS (
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_iv_facts_old EXCEPT SELECT * FROM eng_iv_facts_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_iv_facts_new EXCEPT SELECT * FROM eng_iv_facts_old)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_dispute_facts_old EXCEPT SELECT * FROM eng_dispute_facts_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_dispute_facts_new EXCEPT SELECT * FROM eng_dispute_facts_old)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_invoice_facts_old EXCEPT SELECT * FROM eng_invoice_facts_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_invoice_facts_new EXCEPT SELECT * FROM eng_invoice_facts_old)
)
SELECT DISTINCT * FROM changed;

-- What the model sums into the new month rows of those cells (rollup_intervention_cells.sql): their
-- stored month rows, and the day cells of the changed facts rows, new version added, old subtracted.
-- No other facts row is read (eng_cell_scan is empty).
CREATE OR REPLACE TEMP TABLE eng_icell_signed AS
WITH cell_facts AS (SELECT * FROM eng_iv_facts_new EXCEPT SELECT * FROM eng_iv_facts_old),
-- include: fragments/intervention_cells_daily
SELECT 1 AS sign, * FROM daily;

INSERT INTO eng_icell_signed BY NAME
WITH cell_facts AS (SELECT * FROM eng_iv_facts_old EXCEPT SELECT * FROM eng_iv_facts_new),
-- include: fragments/intervention_cells_daily
SELECT -1 AS sign, * FROM daily;

INSERT INTO eng_icell_signed BY NAME
SELECT 1 AS sign, * FROM rollup_intervention_cells SEMI JOIN eng_cell USING (manufacturer_id, month, station_id);

DELETE FROM rollup_intervention_cells c USING eng_cell e
WHERE c.manufacturer_id = e.manufacturer_id AND c.month = e.month AND c.station_id = e.station_id;
