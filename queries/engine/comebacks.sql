-- Comebacks (verification.md): intervention k is a comeback of intervention i when both have the same
-- manufacturer_id and serial_number, k is not i, k.requested_on >= i.completed_on, and i came first
-- (i.requested_on < k.requested_on, or the same day and i.intervention_id < k.intervention_id in text
-- order). gap_days = k.requested_on - i.completed_on. Any station may have done either repair.
-- Only pairs with gap_days <= 366 are kept (every rule and metric looks at most a year back), which
-- bounds the self-join within each (manufacturer, serial) group.
--
-- comeback_nearest: per comeback intervention, its nearest earlier repair (smallest gap; ties: the
-- latest-requested first repair, then the highest id), the evidence of REPEAT_REPAIR.
CREATE OR REPLACE TABLE comebacks AS
SELECT i.intervention_id AS first_intervention_id,
       k.intervention_id AS comeback_intervention_id,
       CAST(k.requested_on - i.completed_on AS INTEGER) AS gap_days
FROM interventions i
JOIN interventions k
  ON k.manufacturer_id = i.manufacturer_id
 AND k.serial_number = i.serial_number
WHERE k.intervention_id <> i.intervention_id
  AND k.requested_on >= i.completed_on
  AND k.requested_on <= i.completed_on + 366
  AND (i.requested_on < k.requested_on
       OR (i.requested_on = k.requested_on AND i.intervention_id < k.intervention_id));

CREATE OR REPLACE TABLE comeback_nearest AS
SELECT c.comeback_intervention_id, c.first_intervention_id, c.gap_days,
       i.station_id AS first_station_id, i.completed_on AS first_completed_on
FROM comebacks c
JOIN interventions i ON i.intervention_id = c.first_intervention_id
QUALIFY row_number() OVER (PARTITION BY c.comeback_intervention_id
                           ORDER BY c.gap_days, i.requested_on DESC, c.first_intervention_id DESC) = 1;
