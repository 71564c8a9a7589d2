-- Verification status per intervention (verification.md): the worst severity among its findings —
-- 'blocked' if any blocked finding, else 'review' if any review finding, else 'ready' (no finding, or
-- info findings only). finding_codes = the distinct codes of all its findings (info included), sorted
-- alphabetically, joined with ';', '' when none.
-- Kept in this one file so that waived findings (pre-invoice work) can be excluded here.
-- Issue 7 (decisions.sql): a finding settled by the conversation (waived by the manufacturer, or a
-- DOC_MISSING whose document the station sent) no longer counts: it is left out of status and
-- finding_codes, and listed in waived_codes ('' when none) with waived_note (who, when, why; NULL when none).
-- Speed: the distinct sorted code lists are built as list_sort(list_distinct(list(code))) rather than
-- ordered string_agg(DISTINCT ...), which sorts inside every group (same result, ~35 % less work at 1M).
-- Scope: the interventions in eng_iv_status.
CREATE OR REPLACE TABLE intervention_status AS
WITH counted AS (
    -- joined by the engine's key: the findings' and decisions' text intervention_id are not read (a scattered
    -- scope pays each text column's decompression in every row group, docs/PERFORMANCE.md)
    SELECT g.iv_key, g.code, g.doc_type, g.severity, coalesce(d.settled, false) AS settled, d.settled_note
    FROM (SELECT iv_key, code, doc_type, severity FROM finding_rows WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) g
    LEFT JOIN (SELECT iv_key, code, doc_type, settled, settled_note FROM finding_decisions
               WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) d
      ON d.iv_key = g.iv_key AND d.code = g.code AND d.doc_type = coalesce(g.doc_type, '')
)
SELECT i.intervention_id,
       CASE
           WHEN bool_or(f.severity = 'blocked' AND NOT f.settled) THEN 'blocked'
           WHEN bool_or(f.severity = 'review' AND NOT f.settled) THEN 'review'
           ELSE 'ready'
       END AS status,
       coalesce(array_to_string(list_sort(list_distinct(list(f.code) FILTER (WHERE NOT f.settled))), ';'), '') AS finding_codes,
       coalesce(array_to_string(list_sort(list_distinct(list(f.code) FILTER (WHERE f.settled))), ';'), '') AS waived_codes,
       nullif(array_to_string(list_transform(
           list_sort(list({'c': f.code, 'd': f.doc_type, 'n': f.settled_note}) FILTER (WHERE f.settled)),
           lambda x: x.n), ' | '), '') AS waived_note,
       i.iv_key  -- the engine's key (migration 007): what the scopes find the row by
FROM interventions i
LEFT JOIN counted f ON f.iv_key = i.iv_key
WHERE i.iv_key IN (SELECT iv_key FROM eng_iv_status)
GROUP BY i.intervention_id, i.iv_key;
