-- One setting of one level (base, country, region, station) of one policy version; see migration 001.
INSERT INTO policy_values (manufacturer_id, valid_from, level, country, region, station_id, key, item,
                           num_value, text_value, list_value)
VALUES ($manufacturer_id, $valid_from, $level, $country, $region, $station_id, $key, $item,
        $num_value, $text_value, $list_value);
