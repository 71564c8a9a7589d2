-- The stored conversation state of the live read's interventions only (analytics/engine/live.py,
-- the "before" side of a difference): shadows finding_decisions on this connection.
CREATE OR REPLACE TEMP TABLE finding_decisions AS
SELECT * FROM finding_decisions WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
