-- rollup_intervention_cells: the additive inputs of every intervention metric of metrics.md
-- (counts and exact DECIMAL sums), per cell of (manufacturer, month, station, country, region,
-- product_category, currency, eur_rate). Two grains so that any period stays exact:
--   grain 'M': one calendar month, stored here (day_from/day_to = first/last day of the month)
--   grain 'D': one completed_on day, the view intervention_cells_daily computed on demand from
--              intervention_facts (sorted by manufacturer and completed_on, so a period's edge
--              days are read through zone maps, not by a scan)
-- The view intervention_cells is both grains; a query takes the 'M' cells of the months its
-- period covers whole and the 'D' cells of the days it covers in the other months (see
-- queries/metrics/metric_table.sql). The 'M' cells are the sums of the 'D' cells of the month.
-- eur_rate depends only on (currency, month), so summing native amounts per cell and multiplying
-- by the cell's rate is the same exact sum as converting each intervention first.
CREATE OR REPLACE VIEW intervention_cells_daily AS
SELECT
    'D' AS grain,
    manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate,
    completed_on AS day_from,
    completed_on AS day_to,
    CAST(date_trunc('month', completed_on) AS DATE) AS month_from,
    last_day(completed_on) AS month_to,
    count(*) AS n,
    count(*) FILTER (WHERE first_time_fix) AS n_ftf,
    count(*) FILTER (WHERE comeback_90) AS n_comeback,
    count(*) FILTER (WHERE has_policy) AS n_policy,
    count(*) FILTER (WHERE doc_complete) AS n_doc_complete,
    count(*) FILTER (WHERE on_time) AS n_on_time,
    count(*) FILTER (WHERE ready) AS n_ready,
    count(*) FILTER (WHERE status = 'blocked') AS n_blocked,
    count(*) FILTER (WHERE status = 'review') AS n_review,
    count(*) FILTER (WHERE invoiced) AS n_invoiced,
    count(*) FILTER (WHERE invoiced AND has_policy) AS n_calculated,
    coalesce(sum(requested_amount) FILTER (WHERE invoiced), 0)::DECIMAL(38, 2) AS requested_sum,
    coalesce(sum(calculated_amount) FILTER (WHERE invoiced AND has_policy), 0)::DECIMAL(38, 2) AS calculated_sum,
    count(*) FILTER (WHERE invoiced AND disputes > 0) AS n_invoiced_disputed,
    count(*) FILTER (WHERE disputes > 0) AS n_disputed,
    count(*) FILTER (WHERE disputes > 0 AND disputes_resolved = disputes) AS n_resolved,
    count(*) FILTER (WHERE invoiced AND paid) AS n_paid,
    count(*) FILTER (WHERE invoiced OR disputes > 0) AS n_amount,
    coalesce(sum(disputed_amount) FILTER (WHERE disputes > 0), 0)::DECIMAL(38, 2) AS disputed_sum,
    coalesce(sum(disputes_decided), 0)::BIGINT AS n_decided,
    coalesce(sum(disputes_station), 0)::BIGINT AS n_station,
    coalesce(sum(customer_rating), 0)::BIGINT AS rating_sum,
    count(customer_rating) AS rating_n,
    coalesce(sum(labor_amount) FILTER (WHERE has_policy), 0)::DECIMAL(38, 2) AS labor_sum
FROM intervention_facts
GROUP BY manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate, completed_on;

CREATE OR REPLACE TABLE rollup_intervention_cells AS
SELECT
    'M' AS grain,
    manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate,
    min(month_from) AS day_from, max(month_to) AS day_to, min(month_from) AS month_from, max(month_to) AS month_to,
    sum(n)::BIGINT AS n, sum(n_ftf)::BIGINT AS n_ftf, sum(n_comeback)::BIGINT AS n_comeback,
    sum(n_policy)::BIGINT AS n_policy, sum(n_doc_complete)::BIGINT AS n_doc_complete,
    sum(n_on_time)::BIGINT AS n_on_time, sum(n_ready)::BIGINT AS n_ready,
    sum(n_blocked)::BIGINT AS n_blocked, sum(n_review)::BIGINT AS n_review,
    sum(n_invoiced)::BIGINT AS n_invoiced, sum(n_calculated)::BIGINT AS n_calculated,
    sum(requested_sum)::DECIMAL(38, 2) AS requested_sum,
    sum(calculated_sum)::DECIMAL(38, 2) AS calculated_sum,
    sum(n_invoiced_disputed)::BIGINT AS n_invoiced_disputed, sum(n_disputed)::BIGINT AS n_disputed,
    sum(n_resolved)::BIGINT AS n_resolved, sum(n_paid)::BIGINT AS n_paid,
    sum(n_amount)::BIGINT AS n_amount, sum(disputed_sum)::DECIMAL(38, 2) AS disputed_sum,
    sum(n_decided)::BIGINT AS n_decided, sum(n_station)::BIGINT AS n_station,
    sum(rating_sum)::BIGINT AS rating_sum, sum(rating_n)::BIGINT AS rating_n,
    sum(labor_sum)::DECIMAL(38, 2) AS labor_sum
FROM intervention_cells_daily
-- scope: the (manufacturer, month) pairs in eng_month
SEMI JOIN eng_month USING (manufacturer_id, month)
GROUP BY manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate
ORDER BY manufacturer_id, month;

CREATE OR REPLACE VIEW intervention_cells AS
SELECT * FROM rollup_intervention_cells
UNION ALL BY NAME
SELECT * FROM intervention_cells_daily;
