-- The stored waiting findings of the live read's interventions only (the "before" side of a difference):
-- shadows finding_queue on this connection.
CREATE OR REPLACE TEMP TABLE finding_queue AS
SELECT * FROM finding_queue WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
