-- Whether this connection already has the Python function contract_identifier_problem
-- (registered once per connection by analytics/contract/importer/validate.py).
SELECT 1 FROM duckdb_functions() WHERE function_name = 'contract_identifier_problem'
