-- Verification status per intervention (verification.md): the worst severity among its findings —
-- 'blocked' if any blocked finding, else 'review' if any review finding, else 'ready' (no finding, or
-- info findings only). finding_codes = the distinct codes of all its findings (info included), sorted
-- alphabetically, joined with ';', '' when none.
-- Kept in this one file so that waived findings (pre-invoice work) can be excluded here.
CREATE OR REPLACE TABLE intervention_status AS
SELECT i.intervention_id,
       CASE
           WHEN bool_or(f.severity = 'blocked') THEN 'blocked'
           WHEN bool_or(f.severity = 'review') THEN 'review'
           ELSE 'ready'
       END AS status,
       coalesce(string_agg(DISTINCT f.code, ';' ORDER BY f.code), '') AS finding_codes
FROM interventions i
LEFT JOIN findings f USING (intervention_id)
GROUP BY i.intervention_id;
