-- The interventions a live read recomputes or restricts (analytics/engine/live.py): one temp table,
-- named like the engine's status scope so that the engine's own models (decisions, status) read it.
CREATE OR REPLACE TEMP TABLE eng_iv_status AS
SELECT DISTINCT unnest($intervention_ids) AS intervention_id;
