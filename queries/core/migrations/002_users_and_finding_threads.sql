-- Migration 002: who may log in (issue 6), and the conversation on findings (issue 7).
-- Neither table is part of the data contract: imports never touch them.

-- Users. Passwords are stored only as argon2 hashes.
CREATE TABLE users (
    username VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL CHECK (role IN ('manager', 'manufacturer', 'station')),
    manufacturer_id VARCHAR,          -- set for role 'manufacturer'
    station_id VARCHAR,               -- set for role 'station'
    is_admin BOOLEAN NOT NULL DEFAULT false,
    password_hash VARCHAR NOT NULL,
    email VARCHAR,                    -- for OpenID Connect (st.login) mapping
    created_at TIMESTAMP NOT NULL,
    CHECK ((role = 'manufacturer') = (manufacturer_id IS NOT NULL)),
    CHECK ((role = 'station') = (station_id IS NOT NULL))
);

-- Append-only thread under each finding (intervention_id, code[, doc_type]).
-- Nothing updates or deletes a row: a decision is superseded by a later one.
CREATE TABLE finding_entries (
    entry_id BIGINT PRIMARY KEY,
    intervention_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    doc_type VARCHAR NOT NULL DEFAULT '',   -- the document type, for DOC_MISSING
    kind VARCHAR NOT NULL CHECK (kind IN ('comment', 'justification', 'document_sent', 'waive', 'confirm')),
    author VARCHAR NOT NULL,
    author_role VARCHAR NOT NULL,
    written_at TIMESTAMP NOT NULL,
    body VARCHAR NOT NULL,
    sent_doc_type VARCHAR,                  -- for 'document_sent'
    sent_doc_received_on DATE               -- for 'document_sent'
);
