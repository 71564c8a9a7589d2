-- Export of disputes as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT dispute_id AS dispute_id,
       invoice_id AS invoice_id,
       intervention_id AS intervention_id,
       strftime(opened_on, '%Y-%m-%d') AS opened_on,
       opened_by AS opened_by,
       reason AS reason,
       CAST(disputed_amount AS VARCHAR) AS disputed_amount,
       strftime(resolved_on, '%Y-%m-%d') AS resolved_on,
       outcome AS outcome,
       CAST(settled_amount AS VARCHAR) AS settled_amount
FROM disputes
ORDER BY dispute_id
