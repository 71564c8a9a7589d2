-- Export of station_legal as a contract file (docs/CONTRACT-ADDITIONS.md): the columns in contract
-- order, all text, NULL left empty by the writer. Ordered by the key.
SELECT station_id AS station_id,
       legal_name AS legal_name,
       street AS street,
       city AS city,
       postcode AS postcode,
       address_country AS address_country,
       vat_id AS vat_id,
       registration_id AS registration_id,
       iban AS iban,
       bic AS bic
FROM station_legal
ORDER BY station_id
