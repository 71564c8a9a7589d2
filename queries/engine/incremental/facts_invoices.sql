-- The months of the dispute facts rows that changed; the invoice facts rows about to be replaced, as they were.
INSERT INTO eng_month
WITH new_rows AS (
    SELECT * FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute)
)
SELECT manufacturer_id, month FROM (SELECT * FROM eng_facts_old EXCEPT SELECT * FROM new_rows)
UNION
SELECT manufacturer_id, month FROM (SELECT * FROM new_rows EXCEPT SELECT * FROM eng_facts_old);

CREATE OR REPLACE TEMP TABLE eng_facts_old AS
SELECT * FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);

DELETE FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);
