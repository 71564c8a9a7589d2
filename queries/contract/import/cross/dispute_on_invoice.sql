-- disputes.intervention_id "must be on that invoice" (data-contract.md "disputes"): some
-- line of the invoice (store plus import) bills the intervention. Unknown invoices or
-- interventions are reported by the reference rule instead.
WITH billed AS (
    -- only the lines of the invoices the import's disputes name: a filter on the invoice key that
    -- reaches the store's table, instead of a join with every line of the store
    SELECT invoice_id, intervention_id FROM eff_invoice_lines
    WHERE invoice_id IN (SELECT invoice_id FROM stg_disputes)
)
SELECT d._file, d._row, 'intervention_id' AS "column", d.intervention_id AS value, 'on the invoice' AS rule,
       'intervention ' || d.intervention_id || ' is not billed on invoice ' || d.invoice_id
       || ': a dispute can only contest an intervention of the invoice it names' AS message
FROM stg_disputes d
WHERE d.invoice_id IS NOT NULL AND d.intervention_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM eff_invoices v WHERE v.invoice_id = d.invoice_id)
  AND EXISTS (SELECT 1 FROM eff_interventions i WHERE i.intervention_id = d.intervention_id)
  AND NOT EXISTS (SELECT 1 FROM billed l
                  WHERE l.invoice_id = d.invoice_id AND l.intervention_id = d.intervention_id)
