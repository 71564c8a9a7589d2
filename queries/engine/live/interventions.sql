-- The interventions a live read recomputes or restricts (analytics/engine/live.py): one temp table,
-- named like the engine's status scope so that the engine's own models (decisions, status) read it.
-- It holds both keys, like the engine's: the models find derived rows by the engine's key (migration 007).
CREATE OR REPLACE TEMP TABLE eng_iv_status AS
SELECT intervention_id, iv_key FROM interventions
WHERE intervention_id IN (SELECT unnest($intervention_ids));
