-- The facts rows about to be replaced, as they were (the columns the rollups read,
-- fragments/facts_rollup_columns): only the cells of rows that actually change get recomputed
-- (rollup_intervention_cells.sql compares).
CREATE OR REPLACE TEMP TABLE eng_iv_facts_old AS
SELECT
-- include: fragments/facts_rollup_columns
FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);

DELETE FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
