-- The disputes of the selection counted by one key ($by: reason | country | region | station |
-- product_category | month), optionally of one normalised reason ($reason, NULL: all): disputes,
-- disputed amount in euros (fx of the intervention's month; NULL when a rate is missing), open
-- disputes, and the disputes on interventions invoiced while blocked (dispute_facts.invoiced_blocked:
-- fragments/invoiced_blocked on the intervention's facts, kept by the engine) with their share of the
-- key's disputes. Most disputes first (then by key).
WITH counted AS (
    SELECT CASE $by WHEN 'reason' THEN reason WHEN 'country' THEN country WHEN 'region' THEN region
                    WHEN 'station' THEN station_id WHEN 'product_category' THEN product_category
                    ELSE month END AS key,
           disputed_amount, eur_rate, resolved_on,
           invoiced_blocked AS on_invoiced_blocked
    FROM dispute_facts
    WHERE ($reason IS NULL OR reason = $reason) AND
-- include: fragments/selection
)
SELECT key,
       count(*) AS disputes,
       sum(disputed_amount * eur_rate)::DECIMAL(18, 2) AS disputed_amount_eur,
       count(*) FILTER (WHERE resolved_on IS NULL) AS open_disputes,
       count(*) FILTER (WHERE on_invoiced_blocked) AS invoiced_blocked_disputes,
       count(*) FILTER (WHERE on_invoiced_blocked) / count(*) AS invoiced_blocked_share
FROM counted
GROUP BY key
ORDER BY disputes DESC, key;
