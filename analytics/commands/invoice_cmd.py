"""``python -m analytics invoice issue|check``: e-invoices out of the pre-invoice, and incoming
invoices checked against it (:mod:`analytics.billing.einvoice`, docs/EINVOICE.md).

    invoice issue --station ID --manufacturer ID --month YYYY-MM --syntax ubl|facturx --output FILE
    invoice check FILE

``issue`` issues the month's invoice (or writes the one already issued for the same pre-invoice)
as UBL 2.1 XML or as a Factur-X PDF, and delivers it to the other side (checked, listed as
received). The command line acts as the network's operator (manager scope).
``check`` reads a UBL, CII or Factur-X PDF file, validates it against EN 16931, matches it with its
pre-invoice, stores the result and prints it. Exit codes: 0 issued / matched; 1 refused,
differences, unknown reference or invalid; 2 usage (bad month, missing file).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analytics.access.scope import Scope, ScopeError
from analytics.billing import preinvoice
from analytics.billing.einvoice import inbox, matching, model, reading
from analytics.billing.parties import UnknownParty

NAME = "invoice"
HELP = "issue the month's e-invoice (UBL or Factur-X) from the pre-invoice, or check an incoming one against it"


def configure(parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    issue = sub.add_parser("issue", help="issue the month's invoice of a station to a brand and write it")
    issue.add_argument("--station", dest="station_id", required=True, help="station id")
    issue.add_argument("--manufacturer", dest="manufacturer_id", required=True, help="manufacturer id")
    issue.add_argument("--month", required=True, help="calendar month YYYY-MM")
    issue.add_argument("--syntax", choices=("ubl", "facturx"), required=True,
                       help="ubl: UBL 2.1 XML (Peppol BIS 3.0); facturx: PDF/A-3 with the CII XML embedded")
    issue.add_argument("--output", required=True, type=Path, help="file to write")
    check = sub.add_parser("check", help="validate an incoming invoice (UBL, CII or Factur-X PDF) and match it "
                                         "with its pre-invoice")
    check.add_argument("file", type=Path, help="the invoice file")
    for action in (issue, check):  # --db also after the action (``invoice check --db X FILE``)
        action.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="store file")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _issue(args) -> int:
    try:
        preinvoice.month_bounds(args.month)
    except preinvoice.PreInvoiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        docs, delivered = inbox.issue_and_deliver(args.db, Scope.manager(), args.station_id, args.manufacturer_id,
                                                  args.month, issued_by="command line")
    except (model.InvoiceError, preinvoice.PreInvoiceError, UnknownParty, ScopeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _write(args.output, docs.ubl_xml if args.syntax == "ubl" else docs.facturx_pdf)
    inv, t = docs.invoice, docs.invoice.totals
    print(f"{inv.number} (type {inv.type_code}) {'issued' if delivered else 'already issued'} "
          f"{inv.issue_date}: pre-invoice {inv.preinvoice_reference}, {len(inv.interventions)} intervention(s), "
          f"{inv.currency} net {t.tax_exclusive} VAT {t.tax} due {t.payable} -> {args.output}")
    return 0


def _check(args) -> int:
    if not args.file.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        result = inbox.check(args.db, Scope.manager(), args.file.read_bytes(), args.file.name,
                             received_by="command line", source="command line")
    except reading.ReadError as exc:
        print(f"error: {exc} (nothing was stored)", file=sys.stderr)
        return 1
    print(result.report())
    return 0 if result.status == matching.MATCHED else 1


def run(args) -> int:
    return _issue(args) if args.action == "issue" else _check(args)
