-- Every metric of shared/spec/metrics.md over the viewer's selection, one row per group.
-- Definitions (metrics.md): interventions = count; tat_days_median = median completed_on -
-- requested_on; first_time_fix_rate = share visits = 1; repeat_rate = share with a comeback gap
-- <= 90 days; doc_complete_rate / on_time_submission_rate over interventions with a policy only;
-- ready_rate = share status 'ready'; requested_amount = sum of invoice lines; calculated_amount =
-- sum of calculated amounts of invoiced interventions (with a policy); cost_per_intervention =
-- requested / invoiced interventions; dispute_rate = share of invoiced interventions with a
-- dispute; disputed_amount = sum over their disputes; dispute_resolution_days_median over
-- resolved disputes; station_upheld_rate = 'station' outcomes / resolved not withdrawn;
-- customer_rating_avg = mean rating where given. Invoice figures (days_to_pay_median,
-- unpaid_share) follow the invoice's issued_on month and have no value by product category.
-- Empty denominators give NULL (no value); counts and sums over nothing give 0.
-- Amounts: *_eur = sum(native * rate of the cell's completed_on month), exact decimals, NULL
-- when a cell contributing an amount has no rate; native figures only when the cells with a
-- policy or an amount share one currency.
--
-- Reads the rollups only (views intervention_cells, day_hist, invoice_cells: stored month cells plus
-- day cells computed from the sorted facts of the partly covered months). Cell selection by period: a cell lies inside [date_from, date_to]
-- and is month-grain exactly when its whole month lies inside (whole months from 'M' cells,
-- the days of partly covered months from 'D' cells). Grouping keys are switched on by the
-- booleans $g_* (fragments/group_keys: a key not asked is the constant '' so the three parts join
-- on every key).
WITH cells AS (
    SELECT c.*,
-- include: fragments/group_keys
    FROM intervention_cells c
    WHERE
-- include: fragments/cell_selection
), hist AS (
    -- the histogram of each measure and group: (value, n) summed over the selected cells
    SELECT measure, value, sum(n) AS n,
-- include: fragments/group_keys
    FROM day_hist
    WHERE
-- include: fragments/cell_period_and_territory
      AND (CASE WHEN measure = 'days_to_pay'
                THEN NOT $g_category AND $product_categories IS NULL
                ELSE $product_categories IS NULL OR list_contains($product_categories, product_category) END)
    GROUP BY ALL
), sorted AS (
    SELECT k_station, k_manufacturer, k_country, k_region, k_month, k_category, measure,
           list_sort(list(struct_pack(v := value, n := n))) AS rows, sum(n) AS total
    FROM hist
    GROUP BY ALL
), medians_long AS (
    -- the median of each measure: the mean of the values at positions floor((total+1)/2) and
    -- floor(total/2)+1 of the group's sorted values (equal for an odd count). The group's
    -- histogram rows, sorted by value, are walked once with the running count c: a position's
    -- value is the value of the row at which c reaches it. (A window's running sum over every
    -- partition cost several times more.)
    SELECT k_station, k_manufacturer, k_country, k_region, k_month, k_category, measure,
           list_reduce(rows,
                       lambda acc, x: struct_pack(
                           c := acc.c + x.n,
                           lo := CASE WHEN acc.c < (total + 1) // 2 AND acc.c + x.n >= (total + 1) // 2
                                      THEN x.v ELSE acc.lo END,
                           hi := CASE WHEN acc.c < total // 2 + 1 AND acc.c + x.n >= total // 2 + 1
                                      THEN x.v ELSE acc.hi END),
                       struct_pack(c := 0::HUGEINT, lo := NULL::BIGINT, hi := NULL::BIGINT)) AS walk
    FROM sorted
), medians AS (
    SELECT k_station, k_manufacturer, k_country, k_region, k_month, k_category,
           any_value((walk.lo + walk.hi) / 2) FILTER (WHERE measure = 'tat_days') AS tat_days_median,
           any_value((walk.lo + walk.hi) / 2) FILTER (WHERE measure = 'dispute_resolution_days')
               AS dispute_resolution_days_median,
           any_value((walk.lo + walk.hi) / 2) FILTER (WHERE measure = 'days_to_pay') AS days_to_pay_median
    FROM medians_long
    GROUP BY ALL
), inv AS (
    SELECT sum(n_invoices) AS n_invoices, sum(n_unpaid) AS n_unpaid,
-- include: fragments/group_keys
    FROM (SELECT *, '' AS product_category FROM invoice_cells)  -- invoice cells have no category
    WHERE NOT $g_category AND $product_categories IS NULL
      AND
-- include: fragments/cell_period_and_territory
    GROUP BY ALL
), agg AS (
    SELECT
        k_station, k_manufacturer, k_country, k_region, k_month, k_category,
        sum(n) AS n, sum(n_ftf) AS n_ftf, sum(n_comeback) AS n_comeback, sum(n_policy) AS n_policy,
        sum(n_doc_complete) AS n_doc_complete, sum(n_on_time) AS n_on_time, sum(n_ready) AS n_ready,
        sum(n_invoiced) AS n_invoiced, sum(n_invoiced_disputed) AS n_invoiced_disputed,
        sum(n_decided) AS n_decided, sum(n_station) AS n_station,
        sum(rating_sum) AS rating_sum, sum(rating_n) AS rating_n,
        sum(requested_sum) AS requested_sum,
        sum(calculated_sum) AS calculated_sum,
        sum(disputed_sum) AS disputed_sum,
        sum(requested_sum * eur_rate) AS requested_eur,
        sum(calculated_sum * eur_rate) AS calculated_eur,
        sum(disputed_sum * eur_rate) AS disputed_eur,
        bool_or(n_invoiced > 0 AND eur_rate IS NULL) AS requested_rate_missing,
        bool_or(n_calculated > 0 AND eur_rate IS NULL) AS calculated_rate_missing,
        bool_or(n_disputed > 0 AND eur_rate IS NULL) AS disputed_rate_missing,
        count(DISTINCT currency) FILTER (WHERE n_policy > 0 OR n_amount > 0) AS currencies,
        min(currency) FILTER (WHERE n_policy > 0 OR n_amount > 0) AS currency
    FROM cells
    GROUP BY ALL
), groups AS (
    SELECT k_station, k_manufacturer, k_country, k_region, k_month, k_category FROM agg
    UNION
    SELECT k_station, k_manufacturer, k_country, k_region, k_month, k_category FROM inv
    UNION
    -- the whole selection is one row even when empty
    SELECT '', '', '', '', '', ''
    WHERE NOT ($g_station OR $g_manufacturer OR $g_country OR $g_region OR $g_month OR $g_category)
)
SELECT
    g.k_station AS station_id,
    g.k_manufacturer AS manufacturer_id,
    g.k_country AS country,
    g.k_region AS region,
    g.k_month AS month,
    g.k_category AS product_category,
    coalesce(a.n, 0) AS interventions,
    m.tat_days_median::DOUBLE AS tat_days_median,
    a.n_ftf / nullif(a.n, 0) AS first_time_fix_rate,
    a.n_comeback / nullif(a.n, 0) AS repeat_rate,
    a.n_doc_complete / nullif(a.n_policy, 0) AS doc_complete_rate,
    a.n_on_time / nullif(a.n_policy, 0) AS on_time_submission_rate,
    a.n_ready / nullif(a.n, 0) AS ready_rate,
    CASE WHEN NOT coalesce(a.requested_rate_missing, false) THEN coalesce(a.requested_eur, 0) END
        AS requested_amount_eur,
    CASE WHEN NOT coalesce(a.calculated_rate_missing, false) THEN coalesce(a.calculated_eur, 0) END
        AS calculated_amount_eur,
    CASE WHEN NOT coalesce(a.requested_rate_missing, false) THEN a.requested_eur / nullif(a.n_invoiced, 0) END
        AS cost_per_intervention_eur,
    a.n_invoiced_disputed / nullif(a.n_invoiced, 0) AS dispute_rate,
    CASE WHEN NOT coalesce(a.disputed_rate_missing, false) THEN coalesce(a.disputed_eur, 0) END
        AS disputed_amount_eur,
    m.dispute_resolution_days_median::DOUBLE AS dispute_resolution_days_median,
    a.n_station / nullif(a.n_decided, 0) AS station_upheld_rate,
    a.rating_sum / nullif(a.rating_n, 0) AS customer_rating_avg,
    m.days_to_pay_median::DOUBLE AS days_to_pay_median,
    i.n_unpaid / nullif(i.n_invoices, 0) AS unpaid_share,
    CASE WHEN a.currencies = 1 THEN a.currency END AS currency,
    CASE WHEN a.currencies = 1 THEN a.requested_sum END AS requested_amount,
    CASE WHEN a.currencies = 1 THEN a.calculated_sum END AS calculated_amount,
    CASE WHEN a.currencies = 1 THEN a.requested_sum / nullif(a.n_invoiced, 0) END AS cost_per_intervention,
    CASE WHEN a.currencies = 1 THEN a.disputed_sum END AS disputed_amount
FROM groups g
LEFT JOIN agg a USING (k_station, k_manufacturer, k_country, k_region, k_month, k_category)
LEFT JOIN medians m USING (k_station, k_manufacturer, k_country, k_region, k_month, k_category)
LEFT JOIN inv i USING (k_station, k_manufacturer, k_country, k_region, k_month, k_category)
ORDER BY station_id, manufacturer_id, country, region, month, product_category;
