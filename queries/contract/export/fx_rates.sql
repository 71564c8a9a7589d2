-- Export of fx_rates as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT currency AS currency,
       month AS month,
       vf_num(eur_per_unit) AS eur_per_unit
FROM fx_rates
ORDER BY currency, month
