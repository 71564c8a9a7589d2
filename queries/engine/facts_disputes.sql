-- dispute_facts: one row per dispute, attributed to the disputed intervention (metrics.md
-- "Dispute figures follow the intervention that was disputed"), with the dispute-prevention
-- reading of issue 4: `reason` is the dispute's reason when it is a rule code of verification.md,
-- else 'OTHER'; `prevented` is true when the intervention carries a finding (engine table
-- `findings`, computed on the store's current data) whose code equals that reason; OTHER is never
-- prevented. Amounts are in the intervention's currency; eur_rate as in intervention_facts.
CREATE OR REPLACE TABLE dispute_facts AS
WITH rule_codes(code) AS (
    -- The rule codes of shared/spec/verification.md (tests check this list against analytics/catalog.py).
    VALUES ('NO_POLICY'), ('DOC_MISSING'), ('PURCHASE_DATE_MISSING'), ('OUT_OF_WARRANTY'),
           ('DUPLICATE_CLAIM'), ('REPEAT_REPAIR'), ('LATE_SUBMISSION'), ('LABOR_OVER_STANDARD'),
           ('TRAVEL_OVER_CAP'), ('AMOUNT_MISMATCH'), ('VAT_MISMATCH'), ('LABOR_OUTLIER'),
           ('PARTS_OUTLIER')
), codes AS (
    SELECT intervention_id, string_agg(DISTINCT code, ';' ORDER BY code) AS finding_codes
    FROM findings
    GROUP BY intervention_id
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
    r.code IS NOT NULL AND EXISTS (
        SELECT 1 FROM findings g WHERE g.intervention_id = d.intervention_id AND g.code = r.code
    ) AS prevented
FROM disputes d
JOIN intervention_facts f USING (intervention_id)
LEFT JOIN rule_codes r ON r.code = d.reason
LEFT JOIN codes c USING (intervention_id);
