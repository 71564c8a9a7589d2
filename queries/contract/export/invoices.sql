-- Export of invoices as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT invoice_id AS invoice_id,
       manufacturer_id AS manufacturer_id,
       station_id AS station_id,
       strftime(issued_on, '%Y-%m-%d') AS issued_on,
       currency AS currency,
       strftime(paid_on, '%Y-%m-%d') AS paid_on,
       CAST(paid_amount AS VARCHAR) AS paid_amount
FROM invoices
ORDER BY invoice_id
