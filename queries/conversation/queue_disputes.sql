-- The disputes open longest: not resolved yet (resolved_on NULL), within the viewer's selection,
-- oldest opened first (then by id); the first $limit rows (NULL: all, the export).
SELECT opened_on, dispute_id, intervention_id, invoice_id, reason, reason_given, disputed_amount, currency,
       manufacturer_id, station_id, country, region, product_category, completed_on, prevented, finding_codes
FROM dispute_facts
WHERE resolved_on IS NULL AND
-- include: fragments/selection
ORDER BY opened_on, dispute_id
LIMIT $limit;
