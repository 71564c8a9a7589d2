-- Migration 001: the tables of data contract v1 (shared/spec/data-contract.md).
-- Keys and checks are declared here; referential integrity is checked by the
-- importer across store + import (DuckDB foreign keys would forbid replacing a
-- parent row, which the contract requires).
CREATE TABLE manufacturers (
    manufacturer_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL
);
CREATE TABLE stations (
    station_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    region VARCHAR,
    city VARCHAR
);
CREATE TABLE interventions (
    intervention_id VARCHAR PRIMARY KEY,
    manufacturer_id VARCHAR NOT NULL,
    station_id VARCHAR NOT NULL,
    product_category VARCHAR NOT NULL,
    product_model VARCHAR,
    serial_number VARCHAR NOT NULL,
    purchase_date DATE,
    coverage VARCHAR NOT NULL CHECK (coverage IN ('warranty', 'extended', 'goodwill')),
    repair_code VARCHAR NOT NULL,
    requested_on DATE NOT NULL,
    completed_on DATE NOT NULL CHECK (completed_on >= requested_on),
    submitted_on DATE NOT NULL CHECK (submitted_on >= completed_on),
    visits BIGINT NOT NULL CHECK (visits >= 1),
    labor_minutes BIGINT NOT NULL CHECK (labor_minutes >= 0),
    travel_km DECIMAL(18,6) CHECK (travel_km >= 0),
    parts_cost DECIMAL(18,2) CHECK (parts_cost >= 0),
    outcome VARCHAR NOT NULL CHECK (outcome IN ('repaired', 'replaced', 'no_fault_found', 'not_repairable')),
    customer_rating BIGINT CHECK (customer_rating BETWEEN 1 AND 5)
);
CREATE TABLE documents (
    intervention_id VARCHAR NOT NULL,
    doc_type VARCHAR NOT NULL,
    received_on DATE NOT NULL,
    PRIMARY KEY (intervention_id, doc_type)
);
CREATE TABLE invoices (
    invoice_id VARCHAR PRIMARY KEY,
    manufacturer_id VARCHAR NOT NULL,
    station_id VARCHAR NOT NULL,
    issued_on DATE NOT NULL,
    currency VARCHAR NOT NULL,
    paid_on DATE CHECK (paid_on >= issued_on),
    paid_amount DECIMAL(18,2) CHECK (paid_amount >= 0)
);
CREATE TABLE invoice_lines (
    invoice_id VARCHAR NOT NULL,
    line_no BIGINT NOT NULL,
    intervention_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('labor', 'travel', 'parts', 'fee')),
    amount DECIMAL(18,2) NOT NULL CHECK (amount >= 0),
    vat_rate DECIMAL(18,6) NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 1),
    PRIMARY KEY (invoice_id, line_no)
);
CREATE TABLE disputes (
    dispute_id VARCHAR PRIMARY KEY,
    invoice_id VARCHAR NOT NULL,
    intervention_id VARCHAR NOT NULL,
    opened_on DATE NOT NULL,
    opened_by VARCHAR NOT NULL CHECK (opened_by IN ('manufacturer', 'station')),
    reason VARCHAR NOT NULL,
    disputed_amount DECIMAL(18,2) NOT NULL CHECK (disputed_amount >= 0),
    resolved_on DATE CHECK (resolved_on >= opened_on),
    outcome VARCHAR CHECK (outcome IN ('station', 'manufacturer', 'split', 'withdrawn')),
    settled_amount DECIMAL(18,2) CHECK (settled_amount >= 0),
    CHECK (resolved_on IS NULL OR outcome IS NOT NULL)
);
CREATE TABLE fx_rates (
    currency VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    eur_per_unit DECIMAL(18,6) NOT NULL CHECK (eur_per_unit > 0),
    PRIMARY KEY (currency, month)
);

-- Policies (shared/spec/policy-format.md). The file is kept verbatim for export;
-- its content is also stored normalised so the engine resolves it in SQL.
CREATE TABLE policy_files (
    manufacturer_id VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    toml_text VARCHAR NOT NULL
);
CREATE TABLE policy_versions (
    manufacturer_id VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    PRIMARY KEY (manufacturer_id, valid_from)
);
-- One row per setting of one level of one version:
--   level   'base' | 'country' | 'region' | 'station'
--   country set for 'country' and 'region' levels, region for 'region', station_id for 'station'
--   key     the policy key (labor_rate_per_hour, standard_minutes, score_weights, ...)
--   item    the sub-key of a table-valued key (a repair code, a coverage, a category,
--           a metric name), '' for scalars and lists
--   exactly one of num_value / text_value / list_value is set
CREATE TABLE policy_values (
    manufacturer_id VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('base', 'country', 'region', 'station')),
    country VARCHAR NOT NULL DEFAULT '',
    region VARCHAR NOT NULL DEFAULT '',
    station_id VARCHAR NOT NULL DEFAULT '',
    key VARCHAR NOT NULL,
    item VARCHAR NOT NULL DEFAULT '',
    num_value DECIMAL(18,6),
    text_value VARCHAR,
    list_value VARCHAR[],
    PRIMARY KEY (manufacturer_id, valid_from, level, country, region, station_id, key, item)
);
CREATE TABLE policy_bonus_tiers (
    manufacturer_id VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    tier_no INTEGER NOT NULL,            -- order in the file: the first matching tier wins
    min_score DECIMAL(18,6) NOT NULL,
    max_score DECIMAL(18,6),             -- NULL: no upper bound
    labor_adjustment DECIMAL(18,6) NOT NULL,
    PRIMARY KEY (manufacturer_id, valid_from, tier_no)
);

-- One row per import that landed: what came in, when.
CREATE TABLE import_log (
    import_id BIGINT PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL,
    sources VARCHAR NOT NULL,
    rows_by_table VARCHAR NOT NULL,
    warnings VARCHAR NOT NULL
);
