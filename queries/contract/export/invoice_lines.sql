-- Export of invoice_lines as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT invoice_id AS invoice_id,
       CAST(line_no AS VARCHAR) AS line_no,
       intervention_id AS intervention_id,
       kind AS kind,
       CAST(amount AS VARCHAR) AS amount,
       vf_num(vat_rate) AS vat_rate
FROM invoice_lines
ORDER BY invoice_id, line_no
