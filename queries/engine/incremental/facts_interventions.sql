-- The facts rows about to be replaced, as they were: only the (manufacturer, month) pairs of rows that
-- actually change get their rollup cells recomputed (facts_disputes.sql compares).
CREATE OR REPLACE TEMP TABLE eng_facts_old AS
SELECT * FROM intervention_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);

DELETE FROM intervention_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);
