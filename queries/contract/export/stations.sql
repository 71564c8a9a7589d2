-- Export of stations as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT station_id AS station_id,
       name AS name,
       country AS country,
       region AS region,
       city AS city
FROM stations
ORDER BY station_id
