-- The calculated amount (policy-format.md "The calculated amount"), per intervention, net of VAT, in
-- the currency of the policy in force; NULL components when no policy is in force.
--   labour = 0 when the intervention is a repeat (REPEAT_REPAIR: a comeback with gap <= its policy's
--            repeat_window_days); no_fault_found_fee when outcome = 'no_fault_found'; otherwise
--            m / 60 * labor_rate_per_hour, m = standard_minutes[repair_code] when defined, else labor_minutes
--   travel = 0 when travel_km = 0 (empty = 0); otherwise
--            travel_flat_fee + max(0, min(travel_km, max_travel_km) - travel_free_km) * travel_rate_per_km
--   parts  = parts_cost (empty = 0) * (1 + parts_markup)
-- Each component is rounded to the cent, half away from zero (all are >= 0, so half up); the total
-- is their sum. Everything is exact DECIMAL: DuckDB turns DECIMAL / INTEGER into DOUBLE, so the
-- division by 60 is done on integers: with N = m * rate * 10^12 (m and rate have at most 6 decimals,
-- so N is an integer), cents = floor((200 * N + 60 * 10^12) / (120 * 10^12)) = round_half_up(N / 10^12 / 60 * 100).
-- requested_amount = sum of the intervention's invoice lines (NULL when none); currency = the policy's,
-- else (no policy) the currency of the invoices billing it (the smallest code if they disagree).
CREATE OR REPLACE TABLE intervention_amounts AS
WITH lines AS (
    SELECT l.intervention_id,
           sum(l.amount) AS requested_amount,
           count(*) AS line_count,
           min(v.issued_on) AS first_issued_on,
           min(v.currency) AS invoice_currency
    FROM invoice_lines l
    JOIN invoices v ON v.invoice_id = l.invoice_id
    GROUP BY l.intervention_id
), base AS (
    SELECT i.intervention_id, i.outcome, ip.has_policy, ip.currency,
           coalesce(ip.standard_minutes, CAST(i.labor_minutes AS DECIMAL(18,6))) AS minutes,
           ip.labor_rate_per_hour, ip.no_fault_found_fee,
           coalesce(i.travel_km, 0) AS travel_km, ip.travel_flat_fee, ip.travel_free_km,
           ip.travel_rate_per_km, ip.max_travel_km,
           coalesce(i.parts_cost, 0) AS parts_cost, ip.parts_markup,
           coalesce(cn.gap_days <= ip.repeat_window_days, false) AS is_repeat
    FROM interventions i
    JOIN intervention_policy ip USING (intervention_id)
    LEFT JOIN comeback_nearest cn ON cn.comeback_intervention_id = i.intervention_id
), calc AS (
    SELECT intervention_id, has_policy, currency, is_repeat,
           CASE
               WHEN NOT has_policy THEN NULL
               WHEN is_repeat THEN CAST(0 AS DECIMAL(18,2))
               WHEN outcome = 'no_fault_found' THEN CAST(round(no_fault_found_fee, 2) AS DECIMAL(18,2))
               ELSE CAST(CAST(((CAST((CAST(minutes AS DECIMAL(38,6)) * CAST(labor_rate_per_hour AS DECIMAL(38,6)))
                                      * 1000000000000 AS HUGEINT) * 200 + 60000000000000) // 120000000000000)
                              AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))
           END AS labor_amount,
           CASE
               WHEN NOT has_policy THEN NULL
               WHEN travel_km = 0 THEN CAST(0 AS DECIMAL(18,2))
               ELSE CAST(round(CAST(travel_flat_fee AS DECIMAL(38,6))
                               + greatest(CAST(0 AS DECIMAL(38,6)),
                                          least(CAST(travel_km AS DECIMAL(38,6)), CAST(max_travel_km AS DECIMAL(38,6)))
                                          - CAST(travel_free_km AS DECIMAL(38,6)))
                                 * CAST(travel_rate_per_km AS DECIMAL(38,6)), 2) AS DECIMAL(18,2))
           END AS travel_amount,
           CASE
               WHEN NOT has_policy THEN NULL
               ELSE CAST(round(CAST(parts_cost AS DECIMAL(38,6)) * (1 + CAST(parts_markup AS DECIMAL(38,6))), 2)
                         AS DECIMAL(18,2))
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
       l.intervention_id IS NOT NULL AS invoiced,
       l.first_issued_on,
       c.is_repeat,
       c.labor_basis
FROM calc c
LEFT JOIN lines l USING (intervention_id);
