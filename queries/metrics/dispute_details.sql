-- One row per dispute of the selection with its prevention verdict (see dispute_prevention.sql):
-- the disputed intervention's attribution, the given and the normalised reason, the finding codes
-- the intervention carries now, and whether one of them matches the reason.
-- Newest first (opened_on descending, then by id); the first $limit rows (NULL: all, the export);
-- $reason: the disputes of one normalised reason (NULL: all).
SELECT dispute_id, intervention_id, invoice_id, manufacturer_id, station_id, country, region, month,
       product_category, opened_on, resolved_on, outcome, reason_given, reason, disputed_amount, currency,
       prevented, finding_codes
FROM dispute_facts
WHERE ($reason IS NULL OR reason = $reason) AND
-- include: fragments/selection
ORDER BY opened_on DESC, dispute_id
LIMIT $limit;
