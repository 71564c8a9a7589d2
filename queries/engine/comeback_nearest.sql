-- comeback_nearest: per comeback intervention, its nearest earlier repair (smallest gap; ties: the
-- latest-requested first repair, then the highest id), the evidence of REPEAT_REPAIR.
-- Scope: the comebacks in eng_iv.
CREATE OR REPLACE TABLE comeback_nearest AS
SELECT c.comeback_intervention_id, c.first_intervention_id, c.gap_days,
       i.station_id AS first_station_id, i.completed_on AS first_completed_on, c.comeback_iv_key
FROM comebacks c
JOIN interventions i ON i.iv_key = c.first_iv_key
WHERE c.comeback_iv_key IN (SELECT iv_key FROM eng_iv)
QUALIFY row_number() OVER (PARTITION BY c.comeback_intervention_id
                           ORDER BY c.gap_days, i.requested_on DESC, c.first_intervention_id DESC) = 1;
