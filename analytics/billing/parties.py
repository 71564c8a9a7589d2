"""The parties of an invoice: the station (seller) and the brand's billing entity (buyer).

PROVISIONAL. The data contract does not hold legal names, addresses, VAT identifiers, company
registrations, IBANs or the brand's billing entity per country yet (issue 14, item 2, built on
another branch). Until it does, :func:`parties_of` fills what the store has: the station's name,
country and city, the brand's name, and — since no billing entity per country is known — the
brand is taken to bill from the station's country. Everything else is ``None``, so an invoice
that EN 16931 requires a VAT identifier for is refused with the missing field named
(``model.InvoiceError``), never issued with an invented one. The implementation over the
parties tables replaces this body; the signature and the meaning stay.
"""
from __future__ import annotations

import duckdb

from analytics.billing.einvoice.model import InvoiceError, Party
from analytics.core import sql


def parties_of(con: duckdb.DuckDBPyConnection, station_id: str, manufacturer_id: str,
               country: str | None = None) -> tuple[Party, Party]:
    """``(station, manufacturer's billing entity)`` for an invoice of ``station_id`` to
    ``manufacturer_id``; ``country`` is the country whose billing entity is wanted (the
    station's when ``None``). Raises :class:`InvoiceError` when either is unknown."""
    rows = sql.fetch_all(con, "billing/parties", {"station_id": station_id, "manufacturer_id": manufacturer_id})
    if not rows:
        raise InvoiceError(f"no station {station_id!r} or no manufacturer {manufacturer_id!r} in the store")
    station_name, station_country, station_city, manufacturer_name = rows[0]
    station = Party(name=station_name, country=station_country, city=station_city)
    brand = Party(name=manufacturer_name, country=country or station_country)
    return station, brand
