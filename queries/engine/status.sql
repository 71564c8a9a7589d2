-- Verification status per intervention (verification.md): the worst severity among its findings —
-- 'blocked' if any blocked finding, else 'review' if any review finding, else 'ready' (no finding, or
-- info findings only). finding_codes = the distinct codes of all its findings (info included), sorted
-- alphabetically, joined with ';', '' when none.
-- Kept in this one file so that waived findings (pre-invoice work) can be excluded here.
-- Issue 7 (decisions.sql): a finding settled by the conversation (waived by the manufacturer, or a
-- DOC_MISSING whose document the station sent) no longer counts: it is left out of status and
-- finding_codes, and listed in waived_codes ('' when none) with waived_note (who, when, why; NULL when none).
CREATE OR REPLACE TABLE intervention_status AS
WITH counted AS (
    SELECT g.*, coalesce(d.settled, false) AS settled, d.settled_note
    FROM findings g
    LEFT JOIN finding_decisions d
      ON d.intervention_id = g.intervention_id AND d.code = g.code AND d.doc_type = coalesce(g.doc_type, '')
)
SELECT i.intervention_id,
       CASE
           WHEN bool_or(f.severity = 'blocked' AND NOT f.settled) THEN 'blocked'
           WHEN bool_or(f.severity = 'review' AND NOT f.settled) THEN 'review'
           ELSE 'ready'
       END AS status,
       coalesce(string_agg(DISTINCT f.code, ';' ORDER BY f.code) FILTER (WHERE NOT f.settled), '') AS finding_codes,
       coalesce(string_agg(DISTINCT f.code, ';' ORDER BY f.code) FILTER (WHERE f.settled), '') AS waived_codes,
       string_agg(f.settled_note, ' | ' ORDER BY f.code, f.doc_type) FILTER (WHERE f.settled) AS waived_note
FROM interventions i
LEFT JOIN counted f USING (intervention_id)
GROUP BY i.intervention_id;
