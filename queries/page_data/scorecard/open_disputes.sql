-- "What to fix now", disputes: the disputes not resolved yet (no resolved_on) on one station's
-- interventions for one manufacturer, by reason: count, disputed amount (native currency) and
-- the oldest opened_on. Period on the disputed intervention's completed_on (metrics.md).
SELECT d.reason, f.currency, count(*) AS disputes, sum(d.disputed_amount) AS disputed_amount,
       min(d.opened_on) AS oldest_opened_on
FROM disputes d
JOIN (SELECT * FROM intervention_facts WHERE
-- include: fragments/scope
) f USING (intervention_id)
WHERE f.station_id = $station_id AND f.manufacturer_id = $manufacturer_id
  AND ($date_from IS NULL OR f.completed_on >= $date_from)
  AND ($date_to IS NULL OR f.completed_on <= $date_to)
  AND d.resolved_on IS NULL
GROUP BY ALL
ORDER BY disputes DESC, reason;
