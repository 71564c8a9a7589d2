-- The interventions without an engine key (migration 007) get the store's largest key + 1, 2, … in
-- intervention_id order: an existing store when the key is added, and rows a program wrote itself
-- (tests, tools) rather than through the importer, which gives new interventions their keys in file
-- order. Depends only on the rows, so two replicas give the same keys.
UPDATE interventions SET iv_key = k.iv_key
FROM (
    SELECT intervention_id,
           (SELECT coalesce(max(iv_key), 0) FROM interventions) + row_number() OVER (ORDER BY intervention_id) AS iv_key
    FROM interventions
    WHERE iv_key IS NULL
) k
WHERE interventions.iv_key IS NULL AND interventions.intervention_id = k.intervention_id;
