-- The invoice facts rows about to be replaced, as they were.
CREATE OR REPLACE TEMP TABLE eng_invoice_facts_old AS
SELECT * FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);

DELETE FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);
