-- The engine's integer key of the interventions this import brings for the first time (migration 007,
-- docs/DECISIONS.md "An integer key per intervention for the engine"): the store's largest key + 1, 2, …
-- in the order of the import's files (by name) and rows. Runs just after the interventions are loaded:
-- a new row has no key yet; a replaced row kept its own (INSERT OR REPLACE only sets the contract's
-- columns), so a re-import never changes a key. A function of the store and the files alone, so a
-- replica replaying the import gives the same keys.
UPDATE main.interventions SET iv_key = n.iv_key
FROM (
    SELECT s.intervention_id,
           (SELECT coalesce(max(iv_key), 0) FROM main.interventions)
           + row_number() OVER (ORDER BY s._file, s._row) AS iv_key
    FROM stg_interventions s
    SEMI JOIN (SELECT intervention_id FROM main.interventions WHERE iv_key IS NULL) k USING (intervention_id)
) n
WHERE interventions.iv_key IS NULL AND interventions.intervention_id = n.intervention_id;
