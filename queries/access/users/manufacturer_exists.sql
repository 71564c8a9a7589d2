-- Whether a manufacturer id exists in the store (a user's scope must name a real brand).
SELECT count(*) FROM manufacturers WHERE manufacturer_id = $manufacturer_id;
