-- What the model sums into the new month rows of the cells of eng_cell (rollup_day_hist.sql): their
-- stored month rows, and the day rows of the changed facts rows (interventions, disputes, invoices),
-- new version added, old subtracted. No other facts row is read (eng_cell_scan is empty).
CREATE OR REPLACE TEMP TABLE eng_hist_signed AS
WITH hist_intervention_facts AS (SELECT * FROM eng_iv_facts_new EXCEPT SELECT * FROM eng_iv_facts_old),
hist_dispute_facts AS (
    SELECT * FROM eng_dispute_facts_new
    EXCEPT SELECT * FROM eng_dispute_facts_old
),
hist_invoice_facts AS (
    SELECT * FROM eng_invoice_facts_new
    EXCEPT SELECT * FROM eng_invoice_facts_old
),
-- include: fragments/day_hist_daily
SELECT 1 AS sign, * FROM daily;

INSERT INTO eng_hist_signed BY NAME
WITH hist_intervention_facts AS (SELECT * FROM eng_iv_facts_old EXCEPT SELECT * FROM eng_iv_facts_new),
hist_dispute_facts AS (
    SELECT * FROM eng_dispute_facts_old
    EXCEPT SELECT * FROM eng_dispute_facts_new
),
hist_invoice_facts AS (
    SELECT * FROM eng_invoice_facts_old
    EXCEPT SELECT * FROM eng_invoice_facts_new
),
-- include: fragments/day_hist_daily
SELECT -1 AS sign, * FROM daily;

INSERT INTO eng_hist_signed BY NAME
SELECT 1 AS sign, * FROM rollup_day_hist SEMI JOIN eng_cell USING (manufacturer_id, month, station_id);

DELETE FROM rollup_day_hist c USING eng_cell e
WHERE c.manufacturer_id = e.manufacturer_id AND c.month = e.month AND c.station_id = e.station_id;
