"""The parties of an invoice between a station and a brand: seller and buyer (EN 16931 BG-4, BG-7).

The seller is the station (it sells the repairs, and is paid: its IBAN is the payee's),
whoever issues the document (the station, or the brand by self-billing). The buyer is the
brand's billing entity in the invoice's country (table ``billing_entities``), else the
brand's head legal entity (``manufacturer_legal``): a brand without an entity in a country
is invoiced through its head office. Tables and rules: ``docs/CONTRACT-ADDITIONS.md``.

When the store holds no legal entity for a side, its party carries what the store does
hold (the trade name, the country, the station's city) with ``source = None`` and every
legal field ``None``: the e-invoice refuses to issue with the missing field named, and
never invents one. The caller checks the viewer's scope before asking.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics.contract.tables import PARTY_TABLES_SCHEMA
from analytics.core import sql, store


class UnknownParty(LookupError):
    """The station or the manufacturer is not in the store."""


@dataclass(frozen=True)
class Party:
    """A seller or buyer as the invoice needs it (BG-4 / BG-7)."""

    name: str                           # BT-27 / BT-44: the legal name
    country: str                        # BT-40 / BT-55: the address's country (ISO 3166-1 alpha-2)
    street: str | None = None           # BT-35 / BT-50
    city: str | None = None             # BT-37 / BT-52
    postcode: str | None = None         # BT-38 / BT-53
    vat_id: str | None = None           # BT-31 / BT-48, with its country prefix, check digits verified
    registration_id: str | None = None  # BT-30 / BT-47
    iban: str | None = None             # BT-84 (the payee's account; the seller's)
    bic: str | None = None              # BT-86
    #: the row it was read from (``station_legal S0001``, ``billing_entities M01/FR``,
    #: ``manufacturer_legal M01``); None when the store holds no legal entity for this side
    source: str | None = None


_FIELDS = ("source", "name", "country", "street", "city", "postcode", "vat_id", "registration_id", "iban", "bic")


def _party(row: tuple) -> Party:
    return Party(**dict(zip(_FIELDS, row)))


def parties_of(con: duckdb.DuckDBPyConnection, station_id: str, manufacturer_id: str,
               country: str | None = None) -> tuple[Party, Party]:
    """``(seller, buyer)``: the station's party and the brand's party in ``country`` (the
    station's country, ``stations.country``, when ``None``) for an invoice between them.

    Raises :class:`UnknownParty` when the station or the manufacturer is not in the store,
    :class:`~analytics.core.store.StoreError` when the store predates the party tables.
    """
    if store.schema_version(con) < PARTY_TABLES_SCHEMA:
        raise store.StoreError("this store was published before it could hold the invoice parties "
                               "(legal names, VAT identifiers, IBANs); import the parties, or any file, to upgrade it")
    seller_rows = sql.fetch_all(con, "billing/parties/seller", {"station_id": station_id})
    if not seller_rows:
        raise UnknownParty(f"there is no station {station_id!r} in the store")
    *seller_fields, territory, _preference = seller_rows[0]
    buyer_rows = sql.fetch_all(con, "billing/parties/buyer",
                               {"manufacturer_id": manufacturer_id, "country": country or territory})
    if not buyer_rows:
        raise UnknownParty(f"there is no manufacturer {manufacturer_id!r} in the store")
    return _party(tuple(seller_fields)), _party(buyer_rows[0][:-1])
