-- Dispute prevention: for each dispute, verification "would have prevented" it when its
-- intervention carries a finding whose code equals the dispute's reason (dispute_facts.prevented;
-- reasons that are not rule codes are OTHER and never prevented). Shares: prevented disputes /
-- disputes, and prevented disputed amount / disputed amount, in euros at the intervention's
-- completed_on-month rate (NULL when a rate is missing) and natively when the group has one
-- currency. Disputes follow the disputed intervention (period by completed_on, its territory,
-- category). Grouping keys switched on by $g_* booleans ('' when not asked).
WITH sel AS (
    SELECT
        CASE WHEN $g_reason THEN reason ELSE '' END AS reason_k,
        CASE WHEN $g_station THEN station_id ELSE '' END AS station_k,
        CASE WHEN $g_manufacturer THEN manufacturer_id ELSE '' END AS manufacturer_k,
        CASE WHEN $g_country THEN country ELSE '' END AS country_k,
        CASE WHEN $g_region THEN region ELSE '' END AS region_k,
        CASE WHEN $g_month THEN month ELSE '' END AS month_k,
        CASE WHEN $g_category THEN product_category ELSE '' END AS category_k,
        f.*
    FROM dispute_facts f
    WHERE
-- include: fragments/selection
), agg AS (
    SELECT
        reason_k, station_k, manufacturer_k, country_k, region_k, month_k, category_k,
        count(*) AS disputes,
        count(*) FILTER (WHERE prevented) AS prevented,
        bool_or(eur_rate IS NULL) AS rate_missing,
        sum(disputed_amount * eur_rate) AS disputed_eur,
        coalesce(sum(disputed_amount * eur_rate) FILTER (WHERE prevented), 0) AS prevented_eur,
        count(DISTINCT currency) AS currencies,
        min(currency) AS currency,
        sum(disputed_amount) AS disputed_native,
        coalesce(sum(disputed_amount) FILTER (WHERE prevented), 0) AS prevented_native
    FROM sel
    GROUP BY ALL
), groups AS (
    SELECT reason_k, station_k, manufacturer_k, country_k, region_k, month_k, category_k FROM agg
    UNION
    SELECT '', '', '', '', '', '', ''
    WHERE NOT ($g_reason OR $g_station OR $g_manufacturer OR $g_country OR $g_region OR $g_month OR $g_category)
)
SELECT
    g.reason_k AS reason, g.station_k AS station_id, g.manufacturer_k AS manufacturer_id,
    g.country_k AS country, g.region_k AS region, g.month_k AS month, g.category_k AS product_category,
    coalesce(a.disputes, 0) AS disputes,
    coalesce(a.prevented, 0) AS prevented,
    a.prevented / nullif(a.disputes, 0) AS prevented_share,
    CASE WHEN NOT coalesce(a.rate_missing, false) THEN coalesce(a.disputed_eur, 0) END AS disputed_amount_eur,
    CASE WHEN NOT coalesce(a.rate_missing, false) THEN coalesce(a.prevented_eur, 0) END AS prevented_amount_eur,
    CASE WHEN NOT coalesce(a.rate_missing, false) THEN a.prevented_eur / nullif(a.disputed_eur, 0) END
        AS prevented_amount_share,
    CASE WHEN a.currencies = 1 THEN a.currency END AS currency,
    CASE WHEN a.currencies = 1 THEN a.disputed_native END AS disputed_amount,
    CASE WHEN a.currencies = 1 THEN a.prevented_native END AS prevented_amount
FROM groups g
LEFT JOIN agg a USING (reason_k, station_k, manufacturer_k, country_k, region_k, month_k, category_k)
ORDER BY reason, station_id, manufacturer_id, country, region, month, product_category;
