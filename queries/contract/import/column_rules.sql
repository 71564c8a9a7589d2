-- Column rules of the data contract ("Types" and each table's "rule" column), checked on the
-- staged text of every cell. Each fragment below is one WHEN clause of a per-column CASE, in
-- this order, so a cell yields at most one problem (the first rule it breaks):
-- required, then the type (date / timestamp / whole number / number, decimals, size),
-- then the range (minimum, maximum, below), the allowed values, the text length, and last
-- the identifier (country code, VAT identifier, IBAN, BIC): contract_identifier_problem is
-- the Python function analytics.contract.identifiers.problem registered on the connection
-- by analytics/contract/importer/validate.py; it returns 'rule<TAB>message' or NULL.
-- `@col@` is the quoted column identifier and `@name@` its plain name: both come from
-- analytics/contract.py (a fixed whitelist), never from a file. Values are bound parameters.
-- Each fragment yields struct (r: rule, m: message); fragments hold no comment lines.
-- "decimals": trailing zeros are not counted (10.1200 has 2 decimals); the value has too many
-- when rounding it to the allowed scale changes it (exact DECIMAL casts, after a cheap test).
-- @required
WHEN @col@ IS NULL THEN {'r': 'required', 'm': 'is empty, but a value is required'}
-- @date
WHEN NOT regexp_full_match(@col@, '[0-9]{4}-[0-9]{2}-[0-9]{2}') OR try_cast(@col@ AS DATE) IS NULL
THEN {'r': 'date', 'm': '''' || @col@ || ''' is not a valid date written YYYY-MM-DD (for example 2024-03-31)'}
-- @timestamp
WHEN try_cast(@col@ AS TIMESTAMP) IS NULL
THEN {'r': 'timestamp', 'm': '''' || @col@ || ''' is not a valid date and time written YYYY-MM-DD HH:MM:SS'}
-- @int
WHEN NOT regexp_full_match(@col@, '[+-]?[0-9]+') OR try_cast(@col@ AS BIGINT) IS NULL
THEN {'r': 'whole number', 'm': '''' || @col@ || ''' is not a whole number'}
-- @decimal
WHEN NOT regexp_full_match(@col@, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)')
THEN {'r': 'number', 'm': '''' || @col@ || ''' is not a number written with digits and a ''.'' decimal point'}
-- @scale
WHEN strpos(@col@, '.') > 0 AND length(@col@) - strpos(@col@, '.') > $scale_@name@
     AND (length(@col@) - strpos(@col@, '.') > 20
          OR try_cast(@col@ AS DECIMAL(38,20)) <> try_cast(@col@ AS @type@))
THEN {'r': 'decimals', 'm': '''' || @col@ || ''' has more than ' || $scale_@name@ || ' decimals'}
-- @size
WHEN try_cast(@col@ AS @type@) IS NULL
THEN {'r': 'number', 'm': '''' || @col@ || ''' is too large'}
-- @minimum
WHEN try_cast(@col@ AS @type@) < $minimum_@name@
THEN {'r': 'minimum', 'm': '''' || @col@ || ''' is below the minimum of ' || $minimum_@name@}
-- @maximum
WHEN try_cast(@col@ AS @type@) > $maximum_@name@
THEN {'r': 'maximum', 'm': '''' || @col@ || ''' is above the maximum of ' || $maximum_@name@}
-- @below
WHEN try_cast(@col@ AS @type@) >= $below_@name@
THEN {'r': 'maximum', 'm': '''' || @col@ || ''' must be below ' || $below_@name@}
-- @choices
WHEN NOT list_contains($choices_@name@, @col@)
THEN {'r': 'allowed values', 'm': '''' || @col@ || ''' is not one of the allowed values: ' || array_to_string($choices_@name@, ', ')}
-- @length
WHEN length(@col@) > $max_text_length
THEN {'r': 'text length', 'm': 'the text is ' || length(@col@) || ' characters long; at most ' || $max_text_length || ' are allowed (after trimming spaces)'}
-- @identifier
WHEN contract_identifier_problem($identifier_@name@, @col@) IS NOT NULL
THEN {'r': split_part(contract_identifier_problem($identifier_@name@, @col@), chr(9), 1), 'm': split_part(contract_identifier_problem($identifier_@name@, @col@), chr(9), 2)}
