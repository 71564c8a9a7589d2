-- The brand's party of an invoice in a country (docs/CONTRACT-ADDITIONS.md): its billing
-- entity for that country, else its head legal entity (manufacturer_legal), else what
-- manufacturers holds (the trade name; the country asked as its country; source NULL).
-- At most one row; none when the manufacturer is unknown.
SELECT 'billing_entities ' || manufacturer_id || '/' || country AS source, legal_name AS name,
       address_country AS country, street, city, postcode, vat_id, registration_id, iban, bic, 1 AS preference
FROM billing_entities WHERE manufacturer_id = $manufacturer_id AND country = $country
UNION ALL
SELECT 'manufacturer_legal ' || manufacturer_id, legal_name, address_country, street, city, postcode,
       vat_id, registration_id, iban, bic, 2
FROM manufacturer_legal WHERE manufacturer_id = $manufacturer_id
UNION ALL
SELECT NULL, name, $country, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3
FROM manufacturers WHERE manufacturer_id = $manufacturer_id
ORDER BY preference
LIMIT 1
