"""Invoice numbers: one sequence per issuer, no gap, no reuse.

An issuer is a station (``station:<id>``, its invoices to every brand) or a manufacturer that
self-bills (``manufacturer:<id>``, its invoices for every station); invoices and credit notes share
the issuer's sequence. The number is taken and the issued document stored in ONE transaction of
the operational database (``BEGIN IMMEDIATE``: one writer at a time across processes): if
anything fails before the commit — rendering, validation, storing — the number is not taken, so
the sequence has no gap; a committed number belongs to its stored document forever (the row is
never updated or deleted), so no number is reused.

Numbers read ``<station>-<seq>`` for a station and ``<manufacturer>-SB-<seq>`` for self-billing,
``seq`` on six digits (more when it grows).
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from analytics.billing.einvoice.model import Invoice
from analytics.core import ops


def issuer_key(issuer: str, station_id: str, manufacturer_id: str) -> str:
    return f"station:{station_id}" if issuer == "station" else f"manufacturer:{manufacturer_id}"


def number_text(issuer: str, station_id: str, manufacturer_id: str, sequence_no: int) -> str:
    return f"{station_id}-{sequence_no:06d}" if issuer == "station" else f"{manufacturer_id}-SB-{sequence_no:06d}"


def take_next(con: sqlite3.Connection, key: str) -> int:
    """The issuer's next number; call inside :func:`analytics.core.ops.transaction`."""
    if not con.in_transaction:
        raise RuntimeError("an invoice number is taken only inside the transaction that stores the invoice")
    return ops.fetch_all(con, "billing/einvoice/next_number", {"issuer": key})[0][0]


@dataclass(frozen=True)
class Documents:
    """An issued document in both syntaxes, exactly as issued."""
    invoice: Invoice
    ubl_xml: bytes
    cii_xml: bytes
    facturx_pdf: bytes


def store(con: sqlite3.Connection, key: str, sequence_no: int, docs: Documents, station_id: str,
          manufacturer_id: str, month: str, issued_by: str) -> None:
    """Record the issued document (same transaction as :func:`take_next`)."""
    inv = docs.invoice
    ops.execute(con, "billing/einvoice/insert_issued", {
        "number": inv.number, "issuer": key, "sequence_no": sequence_no, "type_code": inv.type_code,
        "station_id": station_id, "manufacturer_id": manufacturer_id, "month": month,
        "preinvoice_reference": inv.preinvoice_reference, "issue_date": inv.issue_date.isoformat(),
        "currency": inv.currency, "payable": str(inv.totals.payable), "preceding_number": inv.preceding_number,
        "invoice_json": json.dumps(inv.to_json(), sort_keys=True), "ubl_xml": docs.ubl_xml, "cii_xml": docs.cii_xml,
        "facturx_pdf": docs.facturx_pdf, "issued_by": issued_by,
        "issued_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")})
