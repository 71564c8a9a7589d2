-- Findings of pre-invoice verification (verification.md "Rules"): one row per rule that fires on an
-- intervention (DOC_MISSING: one row per missing document type, doc_type set; every other code at
-- most once per intervention, doc_type NULL), with its severity and an explanation naming the
-- evidence and the policy (version, territory) it was compared with. Stored in `finding_rows`; readers read
-- the view `findings` (below), which adds to an outlier finding its group's current 95th percentile and
-- size (`finding_rows.manufacturer_id`, `repair_code`: the group, set on outlier findings only).
-- NO_POLICY suppresses every rule that needs a policy (all but PURCHASE_DATE_MISSING,
-- DUPLICATE_CLAIM, LABOR_OUTLIER and PARTS_OUTLIER): those are joined to policies with has_policy.
-- Dates are compared as calendar days; calendar months clamp to the month's end (DuckDB's
-- date + INTERVAL n MONTH does: 2023-01-31 + 1 month = 2023-02-28). Amounts and rates compare as exact
-- DECIMALs (vat 0.2 = 0.20). Outlier percentiles: outlier_groups.sql
-- (quantile_cont over all the store's interventions of the same manufacturer and repair_code, when
-- there are at least 20, in DOUBLE).
-- Scope (docs/ENGINE.md "Incremental refresh"): every finding of the interventions in eng_iv, and the
-- outlier findings (LABOR_OUTLIER, PARTS_OUTLIER) of those in eng_outlier_iv (which holds eng_iv).
-- The intervention facts every rule reads, with its policy and amounts, built once.
CREATE OR REPLACE TEMP TABLE vf_iv AS
SELECT i.intervention_id, i.manufacturer_id, i.station_id, i.serial_number, i.purchase_date, i.coverage,
       i.repair_code, i.requested_on, i.completed_on, i.submitted_on, i.labor_minutes, i.travel_km,
       ip.has_policy, ip.policy_label, ip.policy_valid_from,
       ip.currency, ip.vat_rate, ip.max_travel_km, ip.warranty_months, ip.extended_months,
       ip.submission_deadline_days, ip.repeat_window_days, ip.labor_tolerance, ip.amount_tolerance,
       ip.standard_minutes, a.invoiced, a.requested_amount, a.calculated_amount, a.currency AS amount_currency,
       i.iv_key
FROM interventions i
-- each table filtered by the scope itself: the filter on i does not reach the joined tables' scans
JOIN (SELECT * FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv)) ip ON ip.iv_key = i.iv_key
JOIN (SELECT * FROM intervention_amounts WHERE iv_key IN (SELECT iv_key FROM eng_iv)) a ON a.iv_key = i.iv_key
WHERE i.iv_key IN (SELECT iv_key FROM eng_iv);

CREATE OR REPLACE TABLE finding_rows AS
WITH iv AS (
    SELECT * FROM vf_iv
), pol AS (
    SELECT * FROM vf_iv WHERE has_policy
), iv_lines AS (
    -- the scope's invoice lines, found and grouped by the engine's key (invoice_lines.iv_key, migration
    -- 007): their text intervention_id is not read (a scattered scope pays each text column's
    -- decompression in every row group, docs/PERFORMANCE.md)
    SELECT iv_key, invoice_id, line_no, kind, vat_rate FROM invoice_lines WHERE iv_key IN (SELECT iv_key FROM eng_iv)
), dup_keys AS (
    -- two or more distinct invoices <=> min <> max (much cheaper than count(DISTINCT) on every group)
    SELECT iv_key, kind
    FROM iv_lines
    GROUP BY iv_key, kind
    HAVING min(invoice_id) <> max(invoice_id)
), dup AS (
    SELECT l.iv_key, l.kind, count(DISTINCT l.invoice_id) AS n_invoices,
           string_agg(DISTINCT l.invoice_id, ', ' ORDER BY l.invoice_id) AS invoices
    FROM iv_lines l
    JOIN dup_keys k USING (iv_key, kind)
    GROUP BY l.iv_key, l.kind
), vat AS (
    SELECT l.iv_key,
           string_agg('invoice ' || l.invoice_id || ' line ' || l.line_no || ' has VAT ' || vf_num(l.vat_rate),
                      ', ' ORDER BY l.invoice_id, l.line_no) AS evidence
    FROM iv_lines l
    JOIN pol p ON p.iv_key = l.iv_key
    WHERE l.vat_rate <> p.vat_rate
    GROUP BY l.iv_key
), outlier_iv AS (
    SELECT * FROM interventions WHERE iv_key IN (SELECT iv_key FROM eng_outlier_iv)
), first_version AS (
    SELECT manufacturer_id, min(valid_from) AS first_valid_from
    FROM policy_versions
    GROUP BY manufacturer_id
)
-- every rule but the outliers: their explanation is complete, no outlier group
SELECT r.*, NULL::VARCHAR AS manufacturer_id, NULL::VARCHAR AS repair_code, k.iv_key FROM (
-- NO_POLICY
SELECT iv.intervention_id, 'NO_POLICY' AS code, 'blocked' AS severity, NULL::VARCHAR AS doc_type,
       CASE WHEN fv.first_valid_from IS NULL
            THEN 'No policy of manufacturer ' || iv.manufacturer_id || ' is in the store, so the intervention '
                 || 'completed on ' || strftime(iv.completed_on, '%Y-%m-%d') || ' cannot be verified.'
            ELSE 'No policy of manufacturer ' || iv.manufacturer_id || ' is in force on the completion day '
                 || strftime(iv.completed_on, '%Y-%m-%d') || ': its first version starts '
                 || strftime(fv.first_valid_from, '%Y-%m-%d') || '.'
       END AS explanation
FROM iv
LEFT JOIN first_version fv USING (manufacturer_id)
WHERE NOT iv.has_policy

UNION ALL
-- DOC_MISSING, one row per missing type
SELECT p.intervention_id, 'DOC_MISSING', 'blocked', rd.doc_type,
       'Document ' || rd.doc_type || ' is required (' || rd.required_by || ') but has not been received ('
       || p.policy_label || ').'
FROM intervention_required_documents rd
JOIN pol p ON p.iv_key = rd.iv_key
WHERE rd.received_on IS NULL

UNION ALL
-- PURCHASE_DATE_MISSING (needs no policy)
SELECT intervention_id, 'PURCHASE_DATE_MISSING', 'blocked', NULL,
       'Coverage is ' || coverage || ' but the purchase date is empty, so the '
       || coverage || ' period cannot be checked.'
FROM iv
WHERE coverage IN ('warranty', 'extended') AND purchase_date IS NULL

UNION ALL
-- OUT_OF_WARRANTY (calendar months, clamped at month end)
SELECT intervention_id, 'OUT_OF_WARRANTY', 'blocked', NULL,
       'Requested on ' || strftime(requested_on, '%Y-%m-%d') || ', after the end of the ' || coverage
       || ' period: purchase ' || strftime(purchase_date, '%Y-%m-%d') || ' + ' || months || ' months = '
       || strftime(period_end, '%Y-%m-%d') || ' (' || policy_label || ').'
FROM (
    SELECT p.*,
           CASE coverage WHEN 'warranty' THEN warranty_months ELSE extended_months END AS months,
           CAST(purchase_date + to_months(CASE coverage WHEN 'warranty' THEN warranty_months
                                                        ELSE extended_months END) AS DATE) AS period_end
    FROM pol p
    WHERE coverage IN ('warranty', 'extended') AND purchase_date IS NOT NULL
) w
WHERE requested_on > period_end

UNION ALL
-- DUPLICATE_CLAIM (needs no policy): same kind on two or more invoices
SELECT iv.intervention_id, 'DUPLICATE_CLAIM', 'blocked', NULL,
       'Billed more than once: '
       || string_agg(dup.kind || ' lines on ' || dup.n_invoices || ' invoices (' || dup.invoices || ')', '; '
                     ORDER BY dup.kind)
       || '.'
FROM dup
JOIN iv USING (iv_key)
GROUP BY iv.intervention_id

UNION ALL
-- REPEAT_REPAIR: a comeback within its own policy's repeat window
SELECT p.intervention_id, 'REPEAT_REPAIR', 'review', NULL,
       -- Access control: a station never sees another station's records, so the earlier
       -- intervention is named only when the same station did it; otherwise "at another station".
       'Same unit (serial ' || p.serial_number || ') was repaired '
       || CASE WHEN cn.first_station_id = p.station_id THEN 'in intervention ' || cn.first_intervention_id
               ELSE 'at another station,' END
       || ' completed ' || strftime(cn.first_completed_on, '%Y-%m-%d') || '; this request came '
       || strftime(p.requested_on, '%Y-%m-%d') || ', ' || cn.gap_days || ' days later, within the repeat window of '
       || p.repeat_window_days || ' days (' || p.policy_label || '): labour is not paid.'
FROM pol p
JOIN comeback_nearest cn ON cn.comeback_iv_key = p.iv_key
WHERE cn.gap_days <= p.repeat_window_days

UNION ALL
-- LATE_SUBMISSION
SELECT intervention_id, 'LATE_SUBMISSION', 'review', NULL,
       'Submitted ' || strftime(submitted_on, '%Y-%m-%d') || ', ' || (submitted_on - completed_on)
       || ' days after completion on ' || strftime(completed_on, '%Y-%m-%d') || ' > deadline of '
       || submission_deadline_days || ' days (' || policy_label || ').'
FROM pol
WHERE submitted_on - completed_on > submission_deadline_days

UNION ALL
-- LABOR_OVER_STANDARD
SELECT intervention_id, 'LABOR_OVER_STANDARD', 'review', NULL,
       'Labour ' || labor_minutes || ' min > standard ' || vf_num(standard_minutes) || ' min + '
       || vf_num(labor_tolerance * 100) || ' % tolerance = '
       || vf_num(standard_minutes * (1 + labor_tolerance)) || ' min for repair code ' || repair_code
       || ' (' || policy_label || ').'
FROM pol
WHERE standard_minutes IS NOT NULL
  AND labor_minutes > standard_minutes * (1 + labor_tolerance)

UNION ALL
-- TRAVEL_OVER_CAP
SELECT intervention_id, 'TRAVEL_OVER_CAP', 'review', NULL,
       'Travel ' || vf_num(travel_km) || ' km > cap of ' || vf_num(max_travel_km) || ' km (' || policy_label
       || '); km beyond the cap are not paid.'
FROM pol
WHERE coalesce(travel_km, 0) > max_travel_km

UNION ALL
-- AMOUNT_MISMATCH: abs(requested - calculated) > amount_tolerance * calculated + 0.01, exact: compared in
-- integers of 10^-8 (amounts have 2 decimals, the tolerance at most 6), which BIGINT holds for any
-- amount below 10^10 and tolerance below 10 (far beyond real invoices).
SELECT intervention_id, 'AMOUNT_MISMATCH', 'review', NULL,
       'Requested ' || CAST(requested_amount AS VARCHAR) || ' ' || coalesce(amount_currency, '') || ' vs calculated '
       || CAST(calculated_amount AS VARCHAR) || ' ' || coalesce(amount_currency, '') || ': gap '
       || CAST(abs(requested_amount - calculated_amount) AS VARCHAR) || ' > tolerance '
       || vf_num(amount_tolerance * 100) || ' % of ' || CAST(calculated_amount AS VARCHAR) || ' + 0.01 = '
       || vf_num(amount_tolerance * calculated_amount + 0.01) || ' (' || policy_label || ').'
FROM pol
WHERE invoiced
  AND abs(CAST(requested_amount * 100 AS BIGINT) - CAST(calculated_amount * 100 AS BIGINT)) * 1000000
      > CAST(amount_tolerance * 1000000 AS BIGINT) * CAST(calculated_amount * 100 AS BIGINT) + 1000000

UNION ALL
-- VAT_MISMATCH
SELECT p.intervention_id, 'VAT_MISMATCH', 'review', NULL,
       'VAT differs from the policy''s ' || vf_num(p.vat_rate) || ': ' || v.evidence || ' (' || p.policy_label || ').'
FROM pol p
JOIN vat v ON v.iv_key = p.iv_key

) r
JOIN (SELECT intervention_id, iv_key FROM vf_iv) k USING (intervention_id)  -- the engine's key (migration 007)

UNION ALL
-- LABOR_OUTLIER (needs no policy): the intervention's own evidence and its group; the group's 95th
-- percentile and size are added when read (the view below)
SELECT i.intervention_id, 'LABOR_OUTLIER', 'info', NULL,
       'Labour ' || i.labor_minutes || ' min', i.manufacturer_id, i.repair_code, i.iv_key
FROM outlier_iv i
JOIN outlier_groups g USING (manufacturer_id, repair_code)
WHERE CAST(i.labor_minutes AS DOUBLE) > g.p95_labor

UNION ALL
-- PARTS_OUTLIER (needs no policy; empty parts_cost counts as 0)
SELECT i.intervention_id, 'PARTS_OUTLIER', 'info', NULL,
       'Parts cost ' || CAST(CAST(coalesce(i.parts_cost, 0) AS DECIMAL(18,2)) AS VARCHAR), i.manufacturer_id, i.repair_code, i.iv_key
FROM outlier_iv i
JOIN outlier_groups g USING (manufacturer_id, repair_code)
WHERE CAST(coalesce(i.parts_cost, 0) AS DOUBLE) > g.p95_parts
-- sorted by intervention: reading the findings of a few interventions (the verification queue's
-- first rows, one intervention's detail) skips the other row groups
ORDER BY intervention_id, code, doc_type;

DROP TABLE vf_iv;

-- The findings as every reader sees them: the outlier explanations completed with their group's
-- current thresholds (fragments/outlier_explanation).
CREATE OR REPLACE VIEW findings AS
SELECT r.intervention_id, r.code, r.severity, r.doc_type,
-- include: fragments/outlier_explanation
       AS explanation
FROM finding_rows r
LEFT JOIN outlier_groups g ON g.manufacturer_id = r.manufacturer_id AND g.repair_code = r.repair_code;
