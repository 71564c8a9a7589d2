-- disputes.intervention_id "must be on that invoice" (data-contract.md "disputes"): some
-- line of the invoice (store plus import) bills the intervention. Unknown invoices or
-- interventions are reported by the reference rule instead.
SELECT d._file, d._row, 'intervention_id' AS "column", d.intervention_id AS value, 'on the invoice' AS rule,
       'intervention ' || d.intervention_id || ' is not billed on invoice ' || d.invoice_id
       || ': a dispute can only contest an intervention of the invoice it names' AS message
FROM stg_disputes d
WHERE d.invoice_id IS NOT NULL AND d.intervention_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM eff_invoices v WHERE v.invoice_id = d.invoice_id)
  AND EXISTS (SELECT 1 FROM eff_interventions i WHERE i.intervention_id = d.intervention_id)
  AND NOT EXISTS (SELECT 1 FROM eff_invoice_lines l
                  WHERE l.invoice_id = d.invoice_id AND l.intervention_id = d.intervention_id)
