-- The day cells of intervention_facts (rollup_intervention_cells.sql), the CTE daily over the relation cell_facts (a CTE
-- the including query defines: every facts row for the view, the rows of some months for the stored table).
daily AS (
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
        -- the Overview funnel: each stage within the interventions of the stage before (ready, then
        -- invoiced, then paid; disputed and resolved within the ready and invoiced ones), and the
        -- interventions invoiced while their verification status is blocked
        count(*) FILTER (WHERE ready AND invoiced) AS n_ready_invoiced,
        count(*) FILTER (WHERE ready AND invoiced AND paid) AS n_ready_paid,
        count(*) FILTER (WHERE ready AND invoiced AND disputes > 0) AS n_ready_disputed,
        count(*) FILTER (WHERE ready AND invoiced AND disputes > 0 AND disputes_resolved = disputes) AS n_ready_resolved,
        count(*) FILTER (WHERE invoiced AND status = 'blocked') AS n_invoiced_blocked,
        count(*) FILTER (WHERE invoiced OR disputes > 0) AS n_amount,
        coalesce(sum(disputed_amount) FILTER (WHERE disputes > 0), 0)::DECIMAL(38, 2) AS disputed_sum,
        coalesce(sum(disputes_decided), 0)::BIGINT AS n_decided,
        coalesce(sum(disputes_station), 0)::BIGINT AS n_station,
        coalesce(sum(customer_rating), 0)::BIGINT AS rating_sum,
        count(customer_rating) AS rating_n,
        coalesce(sum(labor_amount) FILTER (WHERE has_policy), 0)::DECIMAL(38, 2) AS labor_sum
    FROM cell_facts
    GROUP BY manufacturer_id, month, station_id, country, region, product_category, currency, eur_rate, completed_on
)
