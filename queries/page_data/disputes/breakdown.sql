-- The disputes of the selection counted by one key ($by: country | region | station |
-- product_category | month), optionally of one normalised reason ($reason, NULL: all): disputes,
-- disputed amount in euros (fx of the intervention's month; NULL when a rate is missing), open
-- disputes; the station's name for the station key. Most disputes first (then by key).
SELECT CASE $by WHEN 'country' THEN country WHEN 'region' THEN region WHEN 'station' THEN station_id
                WHEN 'product_category' THEN product_category ELSE month END AS key,
       count(*) AS disputes,
       sum(disputed_amount * eur_rate)::DECIMAL(18, 2) AS disputed_amount_eur,
       count(*) FILTER (WHERE resolved_on IS NULL) AS open_disputes
FROM dispute_facts
WHERE ($reason IS NULL OR reason = $reason) AND
-- include: fragments/selection
GROUP BY 1
ORDER BY disputes DESC, key;
