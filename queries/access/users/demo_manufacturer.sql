-- The demo manufacturer user's brand: the manufacturer with the most interventions (ties by id).
SELECT m.manufacturer_id
FROM manufacturers m
LEFT JOIN interventions i USING (manufacturer_id)
GROUP BY m.manufacturer_id
ORDER BY count(i.intervention_id) DESC, m.manufacturer_id
LIMIT 1;
