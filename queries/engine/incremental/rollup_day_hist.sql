DELETE FROM rollup_day_hist c USING eng_month m
WHERE c.manufacturer_id = m.manufacturer_id AND c.month = m.month;
