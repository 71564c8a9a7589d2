-- Export of manufacturers as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT manufacturer_id AS manufacturer_id,
       name AS name
FROM manufacturers
ORDER BY manufacturer_id
