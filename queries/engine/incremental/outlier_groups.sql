-- The thresholds of the changed rows' groups, as they were (compared after the refresh: a group that moved
-- re-flags all its interventions).
CREATE OR REPLACE TEMP TABLE eng_group_old AS
SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code);

DELETE FROM outlier_groups g USING eng_group e
WHERE g.manufacturer_id = e.manufacturer_id AND g.repair_code = e.repair_code;

-- The changed interventions' values leave their old group (the model inserts their current ones).
DELETE FROM outlier_values WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);
