-- Comebacks (verification.md): intervention k is a comeback of intervention i when both have the same
-- manufacturer_id and serial_number, k is not i, k.requested_on >= i.completed_on, and i came first
-- (i.requested_on < k.requested_on, or the same day and i.intervention_id < k.intervention_id in text
-- order). gap_days = k.requested_on - i.completed_on. Any station may have done either repair.
-- Only pairs with gap_days <= 366 are kept (every rule and metric looks at most a year back), which
-- bounds the self-join within each (manufacturer, serial) group.
--
-- Scope (docs/ENGINE.md "Incremental refresh"): the pairs with a side in eng_iv_row (interventions whose
-- own row changed; every intervention in a full refresh), read from the units (manufacturer, serial) of those.
-- intervention_units: each intervention's unit as one UBIGINT, `unit_key` = hash(manufacturer_id,
-- serial_number), kept by the engine's key (internal, like iv_key: no reader shows it). Finding the
-- other interventions of the changed rows' units reads this one integer column, not two text
-- columns of every intervention. Two units whose hashes collide are told apart below: the pairs are
-- joined on the real columns, and a pair needs a side in eng_iv_row, so an intervention of another unit
-- brought by a collision pairs with nothing. (No check of the real columns in `units` itself: DuckDB
-- would do it first, reading both text columns of every intervention.) hash() may change with DuckDB's
-- version: the engine's fingerprint includes the version, so stored keys are never compared with keys
-- of another version.
CREATE OR REPLACE TABLE intervention_units AS
SELECT iv_key, hash(manufacturer_id, serial_number) AS unit_key
FROM interventions
WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
ORDER BY iv_key;

CREATE OR REPLACE TABLE comebacks AS
WITH unit_keys AS (
    SELECT unit_key FROM intervention_units WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
), units AS (
    SELECT * FROM interventions
    WHERE iv_key IN (SELECT iv_key FROM intervention_units WHERE unit_key IN (SELECT unit_key FROM unit_keys))
)
SELECT i.intervention_id AS first_intervention_id,
       k.intervention_id AS comeback_intervention_id,
       CAST(k.requested_on - i.completed_on AS INTEGER) AS gap_days,
       i.iv_key AS first_iv_key,  -- the engine's keys of both sides (migration 007): what scopes find them by
       k.iv_key AS comeback_iv_key
FROM units i
JOIN units k
  ON k.manufacturer_id = i.manufacturer_id
 AND k.serial_number = i.serial_number
WHERE k.intervention_id <> i.intervention_id
  AND (i.iv_key IN (SELECT iv_key FROM eng_iv_row)
       OR k.iv_key IN (SELECT iv_key FROM eng_iv_row))
  AND k.requested_on >= i.completed_on
  AND k.requested_on <= i.completed_on + 366
  AND (i.requested_on < k.requested_on
       OR (i.requested_on = k.requested_on AND i.intervention_id < k.intervention_id));
