"""``python -m analytics preinvoice --station ID --manufacturer ID --month YYYY-MM [--format pdf|csv] --output FILE``

Writes the monthly pre-invoice of a station for a brand (:mod:`analytics.billing.preinvoice`)
and prints its reference. The file is the same bytes the app offers to the station and to the
manufacturer.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from analytics.billing import preinvoice
from analytics.core import store
from analytics.access.scope import Scope

NAME = "preinvoice"
HELP = "write the monthly pre-invoice of a station for a manufacturer (PDF or CSV) and print its reference"


def configure(parser) -> None:
    parser.add_argument("--station", dest="station_id", required=True, help="station id")
    parser.add_argument("--manufacturer", dest="manufacturer_id", required=True, help="manufacturer id")
    parser.add_argument("--month", required=True, help="calendar month YYYY-MM (interventions completed in it)")
    parser.add_argument("--format", choices=("pdf", "csv"), default=None,
                        help="pdf or csv (default: from the output file's extension, else pdf)")
    parser.add_argument("--output", required=True, type=Path, help="file to write")


def run(args) -> int:
    fmt = args.format or ("csv" if args.output.suffix.lower() == ".csv" else "pdf")
    try:
        preinvoice.month_bounds(args.month)
    except preinvoice.PreInvoiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    con = store.reader(args.db)
    try:
        doc = preinvoice.build(con, Scope.manager(), args.station_id, args.manufacturer_id, args.month)
    except preinvoice.PreInvoiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = preinvoice.render(doc, fmt)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    print(f"{doc.reference}: {len(doc.lines)} intervention(s) ready, {len(doc.left_out)} left out; "
          + ("; ".join(f"total {t.currency} net {t.net} VAT {t.vat} gross {t.gross}" for t in doc.totals)
             or "nothing to invoice")
          + f" -> {out}")
    return 0
