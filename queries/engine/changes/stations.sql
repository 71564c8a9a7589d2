-- Staged stations about to be loaded (@stg@: the importer's staging table, every column text).
INSERT INTO engine_changes SELECT DISTINCT 'station', station_id FROM @stg@ WHERE station_id IS NOT NULL;
