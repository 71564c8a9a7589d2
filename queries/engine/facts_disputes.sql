-- dispute_facts: one row per dispute, attributed to the disputed intervention (metrics.md
-- "Dispute figures follow the intervention that was disputed"), with the dispute-prevention
-- reading of docs/DECISIONS.md: `reason` is the dispute's reason when it is a rule code of verification.md,
-- else 'OTHER'; `prevented` is true when the intervention carries a finding (engine table
-- `findings`, computed on the store's current data) whose code equals that reason; OTHER is never
-- prevented. Issue 7: a matching finding settled in conversation (waived by the manufacturer, or a
-- DOC_MISSING whose document was sent; finding_decisions.settled) does not count as preventing:
-- such disputes are flagged prevented_waived instead. Amounts are in the intervention's currency; eur_rate as in intervention_facts.
-- Scope: the disputes in eng_dispute. Their interventions are all in eng_iv_status (docs/ENGINE.md
-- "Dependency rules"), which carries their engine key (iv_key, migration 007): finding_rows,
-- finding_decisions and intervention_facts are read by those few keys (a filter that reaches their
-- scans), never by the text key. dispute_facts keeps iv_key (last column, internal) for the same reason.
-- A dispute whose intervention's status or invoicing changes is in eng_dispute (its intervention is in
-- eng_iv_status): invoiced_blocked follows it.
CREATE OR REPLACE TABLE dispute_facts AS
WITH rule_codes(code) AS (
    -- The rule codes of shared/spec/verification.md (tests check this list against analytics/catalog.py).
    VALUES ('NO_POLICY'), ('DOC_MISSING'), ('PURCHASE_DATE_MISSING'), ('OUT_OF_WARRANTY'),
           ('DUPLICATE_CLAIM'), ('REPEAT_REPAIR'), ('LATE_SUBMISSION'), ('LABOR_OVER_STANDARD'),
           ('TRAVEL_OVER_CAP'), ('AMOUNT_MISMATCH'), ('VAT_MISMATCH'), ('LABOR_OUTLIER'),
           ('PARTS_OUTLIER')
), disputed AS (
    SELECT * FROM disputes WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute)
), disputed_iv AS (
    -- the disputed interventions with their engine key (disputes are few)
    SELECT intervention_id, iv_key FROM eng_iv_status
    WHERE intervention_id IN (SELECT intervention_id FROM disputed)
), disputed_findings AS (
    SELECT * FROM finding_rows WHERE iv_key IN (SELECT iv_key FROM disputed_iv)
), codes AS (
    SELECT iv_key, string_agg(DISTINCT code, ';' ORDER BY code) AS finding_codes
    FROM disputed_findings
    GROUP BY iv_key
), matches AS (
    -- per intervention and code, whether every finding of it was settled in conversation
    SELECT g.iv_key, g.code, bool_and(coalesce(w.settled, false)) AS all_settled
    FROM disputed_findings g
    LEFT JOIN (SELECT * FROM finding_decisions WHERE iv_key IN (SELECT iv_key FROM disputed_iv)) w
      ON w.iv_key = g.iv_key AND w.code = g.code AND w.doc_type = coalesce(g.doc_type, '')
    GROUP BY g.iv_key, g.code
)
SELECT
    d.dispute_id,
    d.invoice_id,
    d.intervention_id,
    f.month,
    f.manufacturer_id,
    f.station_id,
    f.country,
    f.region,
    f.product_category,
    f.completed_on,
    d.opened_on,
    d.resolved_on,
    d.outcome,
    d.reason AS reason_given,
    CASE WHEN r.code IS NULL THEN 'OTHER' ELSE r.code END AS reason,
    d.disputed_amount,
    f.currency,
    f.eur_rate,
    coalesce(c.finding_codes, '') AS finding_codes,
    r.code IS NOT NULL AND m.code IS NOT NULL AND NOT m.all_settled AS prevented,
    -- a matching finding exists but each one was settled in conversation
    coalesce(r.code IS NOT NULL AND m.all_settled, false) AS prevented_waived,
    -- the disputed intervention invoiced while blocked (fragments/invoiced_blocked on its facts, which this
    -- refresh has just computed): what the Disputes page's breakdown counts, without joining every
    -- intervention's facts at each view
    coalesce(
-- include: fragments/invoiced_blocked
    , false) AS invoiced_blocked,
    f.iv_key  -- the engine's key (migration 007): what the incremental refresh finds the row by
-- every join by the integer key (a join on the text key would push a text filter into the big scans)
FROM disputed d
JOIN disputed_iv k USING (intervention_id)
JOIN (SELECT * FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM disputed_iv)) f ON f.iv_key = k.iv_key
LEFT JOIN rule_codes r ON r.code = d.reason
LEFT JOIN codes c ON c.iv_key = k.iv_key
LEFT JOIN matches m ON m.iv_key = k.iv_key AND m.code = r.code
ORDER BY f.manufacturer_id, f.completed_on;  -- zone maps for the day cells (rollup_intervention_cells.sql, rollup_day_hist.sql)
