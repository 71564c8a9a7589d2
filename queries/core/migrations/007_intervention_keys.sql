-- Migration 007: an integer surrogate key per intervention, `interventions.iv_key` (docs/DECISIONS.md
-- "An integer key per intervention for the engine"). Internal: the engine's scopes and its derived
-- tables find an intervention's rows by it (a BIGINT compares and probes ~6x cheaper than the text key
-- at 10M rows); no export, download, API answer or page shows it. The importer gives it at an
-- intervention's first import (the store's largest key + 1, 2, … in file order) and keeps it on a
-- re-import (queries/contract/import/intervention_keys.sql).
-- An existing store's interventions are numbered here in intervention_id order: a function of the
-- rows alone, so that two replicas migrated apart give the same keys (rowid order need not be).
-- The engine's fingerprint changed with its models, so every derived table is rebuilt (with the keys)
-- before the store is published again; the history tables get the key of their intervention here.
-- Documents and invoice lines carry their intervention's key too (set by the importer when it loads
-- them): the engine reads them by scope as often as the derived tables (25M rows each at 10M).
ALTER TABLE interventions ADD COLUMN IF NOT EXISTS iv_key BIGINT;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS iv_key BIGINT;
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS iv_key BIGINT;

-- include: fragments/missing_intervention_keys

ALTER TABLE finding_history ADD COLUMN IF NOT EXISTS iv_key BIGINT;
UPDATE finding_history SET iv_key = i.iv_key
FROM interventions i
WHERE finding_history.intervention_id = i.intervention_id;

ALTER TABLE status_history ADD COLUMN IF NOT EXISTS iv_key BIGINT;
UPDATE status_history SET iv_key = i.iv_key
FROM interventions i
WHERE status_history.intervention_id = i.intervention_id;
