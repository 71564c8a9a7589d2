-- The months of the invoice facts replaced, as they were.
INSERT INTO eng_month
SELECT DISTINCT manufacturer_id, month FROM invoice_facts
WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);

DELETE FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice);
