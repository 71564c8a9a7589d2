-- The stored status of the live read's interventions only (the "before" side of a difference):
-- shadows intervention_status on this connection.
CREATE OR REPLACE TEMP TABLE intervention_status AS
SELECT * FROM intervention_status WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
