"""Issuing the invoice of a station's month for a brand, and correcting it by a credit note.

* **Who issues** (docs/EINVOICE.md): the policy key ``invoice_issuer`` in force on the month's
  last day for the station (base, country, region or the station's own agreement), ``station``
  by default (type 380) or ``manufacturer`` (self-billing, type 389). Only that side may issue;
  a manager may too (the command line acts as the network's operator).
* **Once per month**: issuing again the same pre-invoice returns the invoice already issued (no new
  number); once the pre-invoice has changed (its reference is new), the invoice is never edited:
  :func:`correct` issues a credit note (381) cancelling it and a new invoice, in one transaction.
* Every issued document passes the XML schema and the EN 16931 rules before its number is
  committed; a document that does not is refused and takes no number.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd

from analytics.access.scope import Scope, ScopeError
from analytics.billing import preinvoice
from analytics.billing.einvoice import cii, facturx, model, numbering, ubl, validation
from analytics.billing.einvoice.model import Invoice, InvoiceError
from analytics.billing.parties import parties_of
from analytics.core import ops, sql, store

MANAGER = Scope.manager()


def invoice_issuer(con: duckdb.DuckDBPyConnection, station_id: str, manufacturer_id: str, month: str) -> str:
    """``station`` or ``manufacturer``: who issues this month's invoice (policy ``invoice_issuer``)."""
    _first, last = preinvoice.month_bounds(month)
    rows = sql.fetch_all(con, "billing/einvoice/invoice_issuer",
                         {"station_id": station_id, "manufacturer_id": manufacturer_id, "month_end": last})
    return rows[0][0] if rows else "station"


def may_issue(scope: Scope, issuer: str, station_id: str, manufacturer_id: str) -> bool:
    if scope.role == "manager":
        return True
    if issuer == "station":
        return scope.station_id == station_id
    return scope.manufacturer_id == manufacturer_id


def expected_invoice(con: duckdb.DuckDBPyConnection, station_id: str, manufacturer_id: str, month: str,
                     *, number: str = "", issue_date: dt.date | None = None,
                     require_parties: bool = False) -> tuple[preinvoice.PreInvoice, Invoice]:
    """The month's pre-invoice and the invoice it gives (manager view: check access first)."""
    doc = preinvoice.build(con, MANAGER, station_id, manufacturer_id, month)
    station, brand = parties_of(con, station_id, manufacturer_id)
    issuer = invoice_issuer(con, station_id, manufacturer_id, month)
    return doc, model.from_preinvoice(doc, station, brand, number=number or "(expected)",
                                      issue_date=issue_date or dt.date.today(),
                                      type_code=model.INVOICE if issuer == "station" else model.SELF_BILLED,
                                      require_parties=require_parties)


def render(inv: Invoice, doc: preinvoice.PreInvoice | None) -> numbering.Documents:
    """Both syntaxes and the Factur-X PDF, each checked against the schema and the EN 16931 rules."""
    docs = numbering.Documents(inv, ubl.to_xml(inv), cii.to_xml(inv), facturx.to_pdf(inv, doc))
    for syntax, xml in (("ubl", docs.ubl_xml), ("cii", docs.cii_xml)):
        result = validation.validate(xml, syntax)
        if not result.valid:
            raise InvoiceError(f"{inv.number}: the {syntax.upper()} document is {result.summary()}")
    return docs


def _stored(row) -> numbering.Documents:
    return numbering.Documents(Invoice.from_json(json.loads(row[3])), bytes(row[4]), bytes(row[5]), bytes(row[6]))


def _authorise(con, scope: Scope, station_id: str, manufacturer_id: str, month: str) -> str:
    preinvoice.check_access(scope, station_id, manufacturer_id)
    issuer = invoice_issuer(con, station_id, manufacturer_id, month)
    if not may_issue(scope, issuer, station_id, manufacturer_id):
        who = "the station" if issuer == "station" else "the manufacturer (self-billing)"
        raise ScopeError(f"the invoice of {station_id} to {manufacturer_id} for {month} is issued by {who}")
    return issuer


def _new(oc, issuer: str, doc: preinvoice.PreInvoice, station, brand, issue_date: dt.date, month: str,
         issued_by: str, credit_of: Invoice | None = None) -> numbering.Documents:
    key = numbering.issuer_key(issuer, doc.station_id, doc.manufacturer_id)
    seq = numbering.take_next(oc, key)
    number = numbering.number_text(issuer, doc.station_id, doc.manufacturer_id, seq)
    if credit_of is not None:
        inv, shown = model.credit_note_for(credit_of, number=number, issue_date=issue_date), None
    else:
        inv = model.from_preinvoice(doc, station, brand, number=number, issue_date=issue_date,
                                    type_code=model.INVOICE if issuer == "station" else model.SELF_BILLED)
        shown = doc
    docs = render(inv, shown)
    numbering.store(oc, key, seq, docs, doc.station_id, doc.manufacturer_id, month, issued_by)
    return docs


def issue(db: Path | str, scope: Scope, station_id: str, manufacturer_id: str, month: str, *, issued_by: str,
          issue_date: dt.date | None = None) -> tuple[numbering.Documents, bool]:
    """Issue the month's invoice: ``(documents, True)``; when it is already issued for this
    pre-invoice, ``(the documents issued then, False)``."""
    con = store.reader(db)
    issuer = _authorise(con, scope, station_id, manufacturer_id, month)
    doc = preinvoice.build(con, MANAGER, station_id, manufacturer_id, month)
    station, brand = parties_of(con, station_id, manufacturer_id)
    with ops.connect(db) as oc, ops.transaction(oc):
        current = ops.fetch_all(oc, "billing/einvoice/open_invoice",
                                {"station_id": station_id, "manufacturer_id": manufacturer_id, "month": month})
        if current:
            number, reference, _ = current[0]
            if reference != doc.reference:
                raise InvoiceError(f"invoice {number} quotes pre-invoice {reference}, which has changed since "
                                   f"(now {doc.reference}): issue a correction (a credit note and a new invoice)")
            return _stored(ops.fetch_all(oc, "billing/einvoice/issued_document", {"number": number})[0]), False
        return _new(oc, issuer, doc, station, brand, issue_date or dt.date.today(), month, issued_by), True


def correct(db: Path | str, scope: Scope, station_id: str, manufacturer_id: str, month: str, *, issued_by: str,
            issue_date: dt.date | None = None) -> tuple[numbering.Documents, numbering.Documents | None]:
    """Cancel the month's issued invoice by a credit note (381) and issue the invoice of the
    pre-invoice as it is now (none when nothing is left to invoice); one transaction."""
    con = store.reader(db)
    issuer = _authorise(con, scope, station_id, manufacturer_id, month)
    doc = preinvoice.build(con, MANAGER, station_id, manufacturer_id, month)
    station, brand = parties_of(con, station_id, manufacturer_id)
    day = issue_date or dt.date.today()
    with ops.connect(db) as oc, ops.transaction(oc):
        current = ops.fetch_all(oc, "billing/einvoice/open_invoice",
                                {"station_id": station_id, "manufacturer_id": manufacturer_id, "month": month})
        if not current:
            raise InvoiceError(f"no issued invoice of {station_id} to {manufacturer_id} for {month} to correct")
        old = Invoice.from_json(json.loads(current[0][2]))
        credit_issuer = "manufacturer" if old.type_code == model.SELF_BILLED else "station"  # who issued it
        credit = _new(oc, credit_issuer, doc, station, brand, day, month, issued_by, credit_of=old)
        renewed = _new(oc, issuer, doc, station, brand, day, month, issued_by) if doc.totals else None
        return credit, renewed


def issued(db: Path | str, scope: Scope, month: str | None = None) -> pd.DataFrame:
    """The invoices and credit notes issued that the viewer may see (newest first)."""
    with ops.connect(db) as oc:
        cur = ops.execute(oc, "billing/einvoice/issued_list", {**scope.params(), "month": month})
        return pd.DataFrame(cur.fetchall(), columns=[c[0] for c in cur.description])


def document(db: Path | str, scope: Scope, number: str) -> numbering.Documents:
    """An issued document as it was issued (its XML in both syntaxes and its PDF)."""
    with ops.connect(db) as oc:
        rows = ops.fetch_all(oc, "billing/einvoice/issued_document", {"number": number})
    if not rows:
        raise InvoiceError(f"no issued invoice numbered {number!r}")
    preinvoice.check_access(scope, rows[0][1], rows[0][2])
    return _stored(rows[0])


def file_name(inv: Invoice, kind: str) -> str:
    """``<number>.xml`` (UBL), ``<number>.cii.xml`` or ``<number>.pdf`` (Factur-X), made safe."""
    stem = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in inv.number)
    return stem + {"ubl": ".xml", "cii": ".cii.xml", "facturx": ".pdf"}[kind]
