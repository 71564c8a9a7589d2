-- The engine's key (migration 007) of a staged row's intervention, loaded with a document or an
-- invoice line as the column iv_key (appended by analytics/contract/importer _load_table): a replaced
-- row gets its new intervention's. From stg_intervention_keys (staged_intervention_keys.sql).
(SELECT k.iv_key FROM stg_intervention_keys k WHERE k.intervention_id = @stg@.intervention_id)
