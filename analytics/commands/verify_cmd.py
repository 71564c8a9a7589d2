"""``python -m analytics verify`` — the verification status of every intervention, as CSV or JSON.

One row per intervention: ``intervention_id, manufacturer_id, station_id, status, findings,
currency, requested_amount, calculated_amount``. ``findings`` joins the distinct rule codes,
sorted, with ``;`` (empty when none). Amounts are exact decimals with 2 places; no value is an
empty CSV cell or JSON ``null``; in JSON amounts are strings ("12.13") so no binary float
rounding can creep in. Text is written verbatim (a CSV cell is never rewritten).
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from analytics.core import store
from analytics.verification import queue as verification
from analytics.catalog import STATUSES
from analytics.core.filters import Filters
from analytics.access.scope import Scope
from analytics.commands.output import write_text

NAME = "verify"
HELP = "list every intervention's verification status, findings and amounts, as CSV or JSON"


def configure(parser) -> None:
    parser.add_argument("--manufacturer", dest="manufacturer_id", help="only this manufacturer")
    parser.add_argument("--station", dest="station_id", help="only this station")
    parser.add_argument("--status", choices=STATUSES, help="only interventions with this status")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--output", help="write to this file instead of standard output")


def _amount(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def rows(con, manufacturer_id=None, station_id=None, status=None) -> list[dict]:
    filters = Filters(manufacturer_ids=(manufacturer_id,) if manufacturer_id else (),
                      station_ids=(station_id,) if station_id else ())
    df = verification.verification_queue(con, Scope.manager(), filters, status=status)
    out = []
    for rec in df[list(verification.QUEUE_COLUMNS)].to_dict("records"):
        rec["requested_amount"] = _amount(rec["requested_amount"])
        rec["calculated_amount"] = _amount(rec["calculated_amount"])
        rec["currency"] = rec["currency"] if isinstance(rec["currency"], str) else None
        out.append(rec)
    return out


def render(records: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records, indent=1, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(verification.QUEUE_COLUMNS), lineterminator="\n")
    w.writeheader()
    for rec in records:
        w.writerow({k: "" if v is None else v for k, v in rec.items()})
    return buf.getvalue()


def run(args) -> int:
    con = store.reader(args.db)
    text = render(rows(con, args.manufacturer_id, args.station_id, args.status), args.format)
    write_text(text, args.output)
    return 0
