-- disputes.intervention_id "must be on that invoice" (data-contract.md "disputes"): some
-- line of the invoice (store plus import) bills the intervention. Unknown invoices or
-- interventions are reported by the reference rule instead.
WITH billed AS (
    -- eff_invoice_lines (effective.sql) spelled out for the few invoices and interventions the
    -- import's disputes name: the staged lines, and the store's lines of those (plain IN filters
    -- that reach the store's scan, so its zone maps skip the other invoices) that no staged line
    -- replaces (same invoice and line_no). The view itself would read every line of the store.
    SELECT invoice_id, intervention_id FROM stg_invoice_lines
    UNION ALL
    SELECT l.invoice_id, l.intervention_id
    FROM (SELECT invoice_id, line_no, intervention_id FROM main.invoice_lines
          WHERE invoice_id IN (SELECT invoice_id FROM stg_disputes)
            AND intervention_id IN (SELECT intervention_id FROM stg_disputes)) l
    ANTI JOIN (SELECT invoice_id, try_cast(line_no AS BIGINT) AS line_no FROM stg_invoice_lines) g
      ON g.invoice_id = l.invoice_id AND g.line_no = l.line_no
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
