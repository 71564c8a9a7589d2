-- Fragment: the columns of an intervention_facts row that the rollups read, with iv_key as the row's
-- identity (what eng_iv_facts_old / eng_iv_facts_new hold, compared with EXCEPT to find the rows and
-- cells that changed). The text columns carried for the verification queue only (intervention_id,
-- finding_codes, repair_code, coverage, policy_valid_from, applied_overrides) are left out: a delta's
-- scope is scattered over the whole table, where each text column read costs its decompression in
-- every row group (docs/PERFORMANCE.md). Included by engine/incremental/changes,
-- engine/incremental/facts_interventions and engine/incremental/rollup_intervention_cells.
* EXCLUDE (intervention_id, finding_codes, repair_code, coverage, policy_valid_from, applied_overrides)
