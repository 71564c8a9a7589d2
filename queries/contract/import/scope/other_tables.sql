-- Ingest by a station or a brand: which files of this import hold rows of a table only a
-- network manager may send: manufacturers, stations, fx_rates, finding_entries). @stg@ is the
-- staging view of a table of analytics/contract/importer/tables.py (a whitelist).
SELECT _file, count(*) AS n FROM @stg@ GROUP BY _file ORDER BY _file
