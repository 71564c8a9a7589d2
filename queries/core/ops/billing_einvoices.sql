-- E-invoices (analytics/billing/einvoice): the per-issuer number sequences, the invoices and credit
-- notes issued (immutable: a correction is a new credit note, never an update), and the invoices
-- received and checked against their pre-invoice.

-- One row per issuer ('station:<id>' or 'manufacturer:<id>'): the last number it took.
CREATE TABLE billing_invoice_sequences (
    issuer TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
);

-- One row per issued document, written in the same transaction that took its number.
CREATE TABLE billing_issued_invoices (
    number TEXT PRIMARY KEY,
    issuer TEXT NOT NULL,
    sequence_no INTEGER NOT NULL,
    type_code TEXT NOT NULL CHECK (type_code IN ('380', '389', '381')),
    station_id TEXT NOT NULL,
    manufacturer_id TEXT NOT NULL,
    month TEXT NOT NULL,
    preinvoice_reference TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    payable TEXT NOT NULL,
    preceding_number TEXT REFERENCES billing_issued_invoices (number),
    invoice_json TEXT NOT NULL,
    ubl_xml BLOB NOT NULL,
    cii_xml BLOB NOT NULL,
    facturx_pdf BLOB NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    UNIQUE (issuer, sequence_no)
);
CREATE INDEX billing_issued_by_month ON billing_issued_invoices (station_id, manufacturer_id, month);

-- One row per invoice received (uploaded, imported from the command line, or issued here and
-- delivered to the other side) and the result of its check.
CREATE TABLE billing_received_invoices (
    received_id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('upload', 'issued', 'command line')),
    received_by TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    container TEXT NOT NULL CHECK (container IN ('xml', 'pdf')),
    syntax TEXT NOT NULL CHECK (syntax IN ('ubl', 'cii')),
    invoice_number TEXT,
    type_code TEXT,
    preinvoice_reference TEXT,
    station_id TEXT,
    manufacturer_id TEXT,
    month TEXT,
    status TEXT NOT NULL CHECK (status IN ('matched', 'differences', 'unknown reference', 'invalid')),
    validation_json TEXT NOT NULL,
    findings_json TEXT NOT NULL,
    xml BLOB NOT NULL
);
CREATE INDEX billing_received_by_pair ON billing_received_invoices (station_id, manufacturer_id, month)
