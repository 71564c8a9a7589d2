-- The months of the new invoice facts; then eng_month is every (manufacturer, month) a replaced facts row
-- was or is in (a dispute's month is its intervention's).
INSERT INTO eng_month
SELECT DISTINCT manufacturer_id, month FROM invoice_facts
WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);

CREATE OR REPLACE TEMP TABLE eng_month AS SELECT DISTINCT manufacturer_id, month FROM eng_month;

DELETE FROM rollup_intervention_cells c USING eng_month m
WHERE c.manufacturer_id = m.manufacturer_id AND c.month = m.month;
