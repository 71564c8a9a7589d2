-- The calculated amount (policy-format.md "The calculated amount"), per intervention, net of VAT, in
-- the currency of the policy in force; NULL components when no policy is in force.
--   labour = 0 when the intervention is a repeat (REPEAT_REPAIR: a comeback with gap <= its policy's
--            repeat_window_days); no_fault_found_fee when outcome = 'no_fault_found'; otherwise
--            m / 60 * labor_rate_per_hour, m = standard_minutes[repair_code] when defined, else labor_minutes
--   travel = 0 when travel_km = 0 (empty = 0); otherwise
--            travel_flat_fee + max(0, min(travel_km, max_travel_km) - travel_free_km) * travel_rate_per_km
--   parts  = parts_cost (empty = 0) * (1 + parts_markup)
-- Each component is rounded to the cent, half away from zero (all are >= 0, so half up); the total
-- is their sum. Everything is exact: DuckDB turns DECIMAL / INTEGER into DOUBLE, so the division by
-- 60 is done on integers (N = m * rate * 10^12 is an integer as m and rate have at most 6 decimals),
-- see the vf_*_cents macros below. DOUBLE only chooses between two exact paths.
-- requested_amount = sum of the intervention's invoice lines (NULL when none); currency = the policy's,
-- else (no policy) the currency of the invoices billing it (the smallest code if they disagree).
-- paid = invoiced, and every invoice carrying its lines has a paid_on (intervention_facts.paid). Kept here,
-- where the lines are read anyway: an invoice's change (its paid_on) recomputes the amounts of the
-- interventions it bills, and the facts, refreshed for more interventions than the amounts (outlier
-- re-flags, entries), read it instead of scanning the invoice lines again (docs/PERFORMANCE.md).
-- Speed: DECIMAL(38,x) arithmetic runs on 128-bit integers and is ~20x slower than BIGINT, so each
-- component is computed on BIGINT micro-units (values have at most 6 decimals, so the products below
-- are exact integers) whenever the magnitudes guarantee no overflow, else on exact DECIMAL(38,x).
-- Half away from zero for a value >= 0 is floor(v + 1/2), i.e. (n + d/2) // d on integers.
-- Scope: the interventions in eng_iv.
--   labour: N = minutes_micro * rate_micro = m * rate * 10^12; cents = (N + 3*10^11) // (6*10^11)
CREATE OR REPLACE MACRO vf_labour_cents(m, rate) AS (
    CASE WHEN m < 1000000 AND rate < 1000000 AND CAST(m AS DOUBLE) * CAST(rate AS DOUBLE) < 1e6
         THEN (CAST(m * 1000000 AS BIGINT) * CAST(rate * 1000000 AS BIGINT) + 300000000000) // 600000000000
         ELSE CAST((CAST((CAST(m AS DECIMAL(38,6)) * CAST(rate AS DECIMAL(38,6))) * 1000000000000 AS HUGEINT)
                    + 300000000000) // 600000000000 AS BIGINT)
    END
);
--   travel: T = flat * 10^12 + paid_km * rate_per_km * 10^12; cents = (T + 5*10^9) // 10^10
CREATE OR REPLACE MACRO vf_travel_cents(flat, paid_km, rate_km) AS (
    CASE WHEN paid_km < 1000000 AND rate_km < 1000000
              AND CAST(flat AS DOUBLE) + CAST(paid_km AS DOUBLE) * CAST(rate_km AS DOUBLE) < 1e6
         THEN (CAST(flat * 1000000 AS BIGINT) * 1000000
               + CAST(paid_km * 1000000 AS BIGINT) * CAST(rate_km * 1000000 AS BIGINT) + 5000000000) // 10000000000
         ELSE CAST(round(CAST(flat AS DECIMAL(38,6)) + CAST(paid_km AS DECIMAL(38,6)) * CAST(rate_km AS DECIMAL(38,6)), 2)
                   * 100 AS BIGINT)
    END
);
--   parts: P = parts_cost * 100 * (10^6 + markup * 10^6) = parts * (1 + markup) * 10^8; cents = (P + 5*10^5) // 10^6
CREATE OR REPLACE MACRO vf_parts_cents(parts, markup) AS (
    CASE WHEN markup < 1000000 AND CAST(parts AS DOUBLE) * (1 + CAST(markup AS DOUBLE)) < 1e8
         THEN (CAST(parts * 100 AS BIGINT) * (1000000 + CAST(markup * 1000000 AS BIGINT)) + 500000) // 1000000
         ELSE CAST(round(CAST(parts AS DECIMAL(38,6)) * (1 + CAST(markup AS DECIMAL(38,6))), 2) * 100 AS BIGINT)
    END
);
-- cents (BIGINT) -> DECIMAL(18,2), exactly
CREATE OR REPLACE MACRO vf_from_cents(c) AS (CAST(CAST(c AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)));

CREATE OR REPLACE TABLE intervention_amounts AS
WITH lines AS (
    -- grouped by the engine's key: the lines' text intervention_id is not read (docs/PERFORMANCE.md)
    SELECT l.iv_key,
           sum(l.amount) AS requested_amount,
           count(*) AS line_count,
           min(v.issued_on) AS first_issued_on,
           min(v.currency) AS invoice_currency,
           bool_and(v.paid_on IS NOT NULL) AS paid
    FROM (SELECT * FROM invoice_lines WHERE iv_key IN (SELECT iv_key FROM eng_iv)) l
    JOIN invoices v ON v.invoice_id = l.invoice_id
    GROUP BY l.iv_key
), base AS (
    SELECT i.intervention_id, i.iv_key, i.outcome, ip.has_policy, ip.currency,
           coalesce(ip.standard_minutes, CAST(i.labor_minutes AS DECIMAL(18,6))) AS minutes,
           ip.labor_rate_per_hour, ip.no_fault_found_fee,
           coalesce(i.travel_km, 0) AS travel_km, ip.travel_flat_fee, ip.travel_free_km,
           ip.travel_rate_per_km, ip.max_travel_km,
           coalesce(i.parts_cost, 0) AS parts_cost, ip.parts_markup,
           coalesce(cn.gap_days <= ip.repeat_window_days, false) AS is_repeat
    FROM interventions i
    -- each table filtered by the scope itself: the filter on i does not reach the joined tables' scans
    JOIN (SELECT * FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv)) ip ON ip.iv_key = i.iv_key
    LEFT JOIN (SELECT * FROM comeback_nearest WHERE comeback_iv_key IN (SELECT iv_key FROM eng_iv)) cn
      ON cn.comeback_iv_key = i.iv_key
    WHERE i.iv_key IN (SELECT iv_key FROM eng_iv)
), calc AS (
    SELECT intervention_id, iv_key, has_policy, currency, is_repeat,
           CASE
               WHEN NOT has_policy THEN NULL
               WHEN is_repeat THEN CAST(0 AS DECIMAL(18,2))
               WHEN outcome = 'no_fault_found' THEN CAST(round(no_fault_found_fee, 2) AS DECIMAL(18,2))
               ELSE vf_from_cents(vf_labour_cents(minutes, labor_rate_per_hour))
           END AS labor_amount,
           CASE
               WHEN NOT has_policy THEN NULL
               WHEN travel_km = 0 THEN CAST(0 AS DECIMAL(18,2))
               ELSE vf_from_cents(vf_travel_cents(travel_flat_fee,
                                                  greatest(0, least(travel_km, max_travel_km) - travel_free_km),
                                                  travel_rate_per_km))
           END AS travel_amount,
           CASE
               WHEN NOT has_policy THEN NULL
               ELSE vf_from_cents(vf_parts_cents(parts_cost, parts_markup))
           END AS parts_amount,
           CASE
               WHEN NOT has_policy OR is_repeat THEN NULL
               WHEN outcome = 'no_fault_found' THEN 'no_fault_found_fee'
               ELSE 'minutes'
           END AS labor_basis
    FROM base
)
SELECT c.intervention_id,
       coalesce(c.currency, l.invoice_currency) AS currency,
       c.labor_amount, c.travel_amount, c.parts_amount,
       CAST(c.labor_amount + c.travel_amount + c.parts_amount AS DECIMAL(18,2)) AS calculated_amount,
       CAST(l.requested_amount AS DECIMAL(18,2)) AS requested_amount,
       coalesce(l.line_count, 0) AS line_count,
       l.iv_key IS NOT NULL AS invoiced,
       l.first_issued_on,
       coalesce(l.paid, false) AS paid,
       c.is_repeat,
       c.labor_basis,
       c.iv_key  -- the engine's key (migration 007): what the scopes find the row by
FROM calc c
LEFT JOIN lines l ON l.iv_key = c.iv_key;
