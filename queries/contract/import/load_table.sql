-- Loading one table: the staged rows, cast to the store's types, replace the rows with the
-- same key ("a row whose key already exists replaces the old row", data-contract.md).
-- Runs only when no problem was found. @table@, @columns@, @casts@, @stg@ are generated
-- from analytics/contract.py (a whitelist of identifiers).
INSERT OR REPLACE INTO main.@table@ (@columns@)
SELECT @casts@ FROM @stg@
