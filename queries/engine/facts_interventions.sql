-- intervention_facts: one row per intervention with its attribution (metrics.md "Attribution":
-- month YYYY-MM of completed_on, manufacturer, station, station country, station region or ''
-- when none, product category) and every per-intervention input of the metrics:
--   tat_days           completed_on - requested_on, in days
--   first_time_fix     visits = 1
--   comeback_90        it has a comeback (verification.md) with gap_days <= 90, whoever did the
--                      second repair (counts against this, the first, intervention)
--   has_policy         a policy version is in force on completed_on (else NO_POLICY)
--   doc_complete       every required document received on or before submitted_on (NULL: no policy)
--   on_time            submitted_on - completed_on <= submission_deadline_days (NULL: no policy)
--   ready              verification status = 'ready'
--   invoiced           it has at least one invoice line
--   requested_amount   sum of its invoice lines (NULL when not invoiced)
--   calculated_amount  the policy's calculated amount (NULL when no policy)
--   labor_amount       the calculated labour component (NULL when no policy)
--   currency, eur_rate policy currency (or its invoice's); fx_rates eur_per_unit of its
--                      completed_on month, 1 for EUR, NULL when the rate is missing
--   disputes, disputed_amount, disputes_resolved, disputes_decided (resolved, not withdrawn),
--   disputes_station (resolved with outcome 'station')
--   paid               invoiced, and every invoice carrying its lines has a paid_on (the Overview
--                      pipeline's last stage, counted from the rollup), as the amounts model keeps it
--   iv_key             the engine's integer key of the intervention (migration 007), internal
--   finding_codes, repair_code, coverage, policy_valid_from, applied_overrides: carried for the
--                      verification queue's first rows (queries/verification/worst_first.sql), so
--                      that they are read from this one table sorted by manufacturer and day
-- Scope: the interventions in eng_iv_status.
CREATE OR REPLACE TABLE intervention_facts AS
-- The derived tables are joined by the engine's key and read for their needed columns only: a delta's
-- scope is scattered over the whole store (old comeback partners, re-flagged outliers), so every row
-- group holds one of its rows, and each text column read costs its decompression there (the documents'
-- intervention_id alone was about half this statement at 10M, docs/PERFORMANCE.md).
WITH docs AS (
    SELECT r.iv_key,
           bool_and(r.received_on IS NOT NULL AND r.received_on <= i.submitted_on) AS complete
    FROM intervention_required_documents r
    JOIN (SELECT iv_key, submitted_on FROM interventions WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) i
      ON i.iv_key = r.iv_key
    WHERE r.iv_key IN (SELECT iv_key FROM eng_iv_status)
    GROUP BY r.iv_key
), back AS (
    SELECT DISTINCT first_iv_key AS iv_key
    FROM comebacks
    WHERE gap_days <= 90 AND first_iv_key IN (SELECT iv_key FROM eng_iv_status)
), disp AS (
    SELECT intervention_id,
           count(*) AS disputes,
           sum(disputed_amount) AS disputed_amount,
           count(*) FILTER (WHERE resolved_on IS NOT NULL) AS disputes_resolved,
           count(*) FILTER (WHERE resolved_on IS NOT NULL AND outcome <> 'withdrawn') AS disputes_decided,
           count(*) FILTER (WHERE resolved_on IS NOT NULL AND outcome = 'station') AS disputes_station
    FROM disputes
    WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
    GROUP BY intervention_id
)
SELECT
    i.intervention_id,
    strftime(i.completed_on, '%Y-%m') AS month,
    i.manufacturer_id,
    i.station_id,
    s.country,
    coalesce(s.region, '') AS region,
    i.product_category,
    i.requested_on,
    i.completed_on,
    i.submitted_on,
    datediff('day', i.requested_on, i.completed_on) AS tat_days,
    i.visits,
    i.visits = 1 AS first_time_fix,
    b.iv_key IS NOT NULL AS comeback_90,
    coalesce(p.has_policy, false) AS has_policy,
    CASE WHEN coalesce(p.has_policy, false) THEN coalesce(d.complete, true) END AS doc_complete,
    CASE WHEN coalesce(p.has_policy, false)
         THEN datediff('day', i.completed_on, i.submitted_on) <= p.submission_deadline_days END AS on_time,
    st.status,
    st.finding_codes,
    i.repair_code,
    i.coverage,
    p.policy_valid_from,
    p.applied_overrides,
    coalesce(st.status = 'ready', false) AS ready,
    coalesce(a.invoiced, false) AS invoiced,
    CASE WHEN coalesce(a.invoiced, false) THEN a.requested_amount END AS requested_amount,
    CASE WHEN coalesce(p.has_policy, false) THEN a.calculated_amount END AS calculated_amount,
    CASE WHEN coalesce(p.has_policy, false) THEN a.labor_amount END AS labor_amount,
    a.currency,
    CASE WHEN a.currency = 'EUR' THEN 1::DECIMAL(18, 6) ELSE fx.eur_per_unit END AS eur_rate,
    i.customer_rating,
    coalesce(x.disputes, 0) AS disputes,
    coalesce(x.disputed_amount, 0)::DECIMAL(18, 2) AS disputed_amount,
    coalesce(x.disputes_resolved, 0) AS disputes_resolved,
    coalesce(x.disputes_decided, 0) AS disputes_decided,
    coalesce(x.disputes_station, 0) AS disputes_station,
    coalesce(a.paid, false) AS paid,
    i.iv_key  -- the engine's key (migration 007): what the scopes find the row by; no reader shows it
FROM interventions i
JOIN stations s USING (station_id)
LEFT JOIN (SELECT * FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) p ON p.iv_key = i.iv_key
LEFT JOIN (SELECT * FROM intervention_amounts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) a ON a.iv_key = i.iv_key
LEFT JOIN (SELECT * FROM intervention_status WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) st ON st.iv_key = i.iv_key
LEFT JOIN docs d ON d.iv_key = i.iv_key
LEFT JOIN back b ON b.iv_key = i.iv_key
LEFT JOIN disp x ON x.intervention_id = i.intervention_id
LEFT JOIN fx_rates fx ON fx.currency = a.currency AND fx.month = strftime(i.completed_on, '%Y-%m')
WHERE i.iv_key IN (SELECT iv_key FROM eng_iv_status)
-- sorted so that a manufacturer's days are contiguous: the day cells of a period's edges are read
-- through zone maps (rollup_intervention_cells.sql)
ORDER BY i.manufacturer_id, i.completed_on;
