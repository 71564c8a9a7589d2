-- The months of the invoice facts rows that changed; eng_month is then every (manufacturer, month) of a
-- facts row that changed (its old or new version): the only cells whose sums can differ.
INSERT INTO eng_month
WITH new_rows AS (
    SELECT * FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice)
)
SELECT manufacturer_id, month FROM (SELECT * FROM eng_facts_old EXCEPT SELECT * FROM new_rows)
UNION
SELECT manufacturer_id, month FROM (SELECT * FROM new_rows EXCEPT SELECT * FROM eng_facts_old);

CREATE OR REPLACE TEMP TABLE eng_month AS SELECT DISTINCT manufacturer_id, month FROM eng_month;

DELETE FROM rollup_intervention_cells c USING eng_month m
WHERE c.manufacturer_id = m.manufacturer_id AND c.month = m.month;
