-- The interventions a monthly pre-invoice considers: those of station $station_id for brand
-- $manufacturer_id completed in the calendar month [$month_start, $month_end] (the month an intervention
-- belongs to is the month of its completed_on, as in metrics.md "Attribution"), with their verification
-- status after the conversation's decisions (intervention_status), the calculated amount line by line
-- (intervention_amounts, net of VAT, policy currency) and the policy's VAT rate (intervention_policy).
-- Ordered by completion day then id, so that the document's order is stable.
SELECT i.intervention_id, i.completed_on, i.repair_code, i.product_category, i.serial_number, i.outcome,
       s.status, s.finding_codes, s.waived_codes, s.waived_note,
       p.has_policy, p.vat_rate, a.currency,
       a.labor_amount, a.travel_amount, a.parts_amount, a.calculated_amount, a.requested_amount
FROM interventions i
JOIN intervention_status s USING (intervention_id)
JOIN intervention_policy p USING (intervention_id)
JOIN intervention_amounts a USING (intervention_id)
WHERE i.station_id = $station_id
  AND i.manufacturer_id = $manufacturer_id
  AND i.completed_on BETWEEN $month_start AND $month_end
ORDER BY i.completed_on, i.intervention_id;
