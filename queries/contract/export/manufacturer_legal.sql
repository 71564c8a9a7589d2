-- Export of manufacturer_legal as a contract file (docs/CONTRACT-ADDITIONS.md): the columns in contract
-- order, all text, NULL left empty by the writer. Ordered by the key.
SELECT manufacturer_id AS manufacturer_id,
       legal_name AS legal_name,
       street AS street,
       city AS city,
       postcode AS postcode,
       address_country AS address_country,
       vat_id AS vat_id,
       registration_id AS registration_id,
       iban AS iban,
       bic AS bic
FROM manufacturer_legal
ORDER BY manufacturer_id
