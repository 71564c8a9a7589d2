-- Migration 003: the invoice parties (docs/CONTRACT-ADDITIONS.md): the legal entity of each
-- station, of each brand, and of each brand's billing entity per country. Optional data:
-- tables of their own, so a feed of stations or manufacturers never erases them.
-- References are checked by the importer across store + import (as for migration 001).
CREATE TABLE station_legal (
    station_id VARCHAR PRIMARY KEY,
    legal_name VARCHAR NOT NULL,
    street VARCHAR,
    city VARCHAR,
    postcode VARCHAR,
    address_country VARCHAR NOT NULL,
    vat_id VARCHAR,
    registration_id VARCHAR,
    iban VARCHAR,
    bic VARCHAR
);
CREATE TABLE manufacturer_legal (
    manufacturer_id VARCHAR PRIMARY KEY,
    legal_name VARCHAR NOT NULL,
    street VARCHAR,
    city VARCHAR,
    postcode VARCHAR,
    address_country VARCHAR NOT NULL,
    vat_id VARCHAR,
    registration_id VARCHAR,
    iban VARCHAR,
    bic VARCHAR
);
CREATE TABLE billing_entities (
    manufacturer_id VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    legal_name VARCHAR NOT NULL,
    street VARCHAR,
    city VARCHAR,
    postcode VARCHAR,
    address_country VARCHAR NOT NULL,
    vat_id VARCHAR,
    registration_id VARCHAR,
    iban VARCHAR,
    bic VARCHAR,
    PRIMARY KEY (manufacturer_id, country)
);
