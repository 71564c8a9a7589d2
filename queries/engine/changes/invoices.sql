-- Staged invoices about to be loaded.
INSERT INTO engine_changes SELECT DISTINCT 'invoice', invoice_id FROM @stg@ WHERE invoice_id IS NOT NULL;
