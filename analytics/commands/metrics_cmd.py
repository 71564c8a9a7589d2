"""``python -m analytics metrics --by KEYS ...`` — every metric of metrics.md as CSV or JSON.

Columns: the key columns asked (``station_id, manufacturer_id, country, region, month,
product_category``), the metrics in :data:`analytics.catalog.METRICS` order (amounts as
``<name>_eur``), then ``currency`` and the native amounts, then ``score`` when grouped by
station (per manufacturer: given with ``--manufacturer``, grouped by, or the only one in the
selection; per month when grouped by month; not with product_category, as a score covers
all of a station's categories). Empty cells mean *no value*.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math

from analytics.metrics import score
from analytics.metrics.table import GROUP_KEYS, UnknownKey, check_keys, metric_table
from analytics.core import store
from analytics.core.filters import Filters
from analytics.access.scope import Scope
from analytics.commands.output import write_text

NAME = "metrics"
HELP = "print every metric (metrics.md) grouped by the keys asked, as CSV or JSON"


def _keys(text: str) -> tuple[str, ...]:
    try:
        keys = check_keys(text)
    except UnknownKey as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return keys


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def configure(parser) -> None:
    parser.add_argument("--by", type=_keys, required=True,
                        help=f"comma list of grouping keys among {', '.join(GROUP_KEYS)}")
    parser.add_argument("--manufacturer", dest="manufacturer_id", help="only this manufacturer")
    parser.add_argument("--station", dest="station_id", help="only this station")
    parser.add_argument("--from", dest="date_from", type=_date, help="first completed_on day (inclusive)")
    parser.add_argument("--to", dest="date_to", type=_date, help="last completed_on day (inclusive)")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--output", help="write to this file instead of standard output")


def table(con, filters: Filters, keys, scope: Scope | None = None) -> "pd.DataFrame":  # noqa: F821
    """The CLI's table: metric_table plus ``score`` where it applies (the CLI reads with the
    manager's scope; the API passes its caller's)."""
    scope = scope or Scope.manager()
    df = metric_table(con, scope, filters, keys)
    if "station" not in keys or "product_category" in keys:
        return df
    by_month = "month" in keys
    if "manufacturer" in keys:
        manufacturers = sorted(df["manufacturer_id"].unique())
    elif len(filters.manufacturer_ids) == 1:
        manufacturers = list(filters.manufacturer_ids)
    else:
        found = metric_table(con, scope, filters.with_(station_ids=()), ["manufacturer"])
        found = found[found["interventions"] > 0]
        if len(found) != 1:
            return df  # a score is per manufacturer: none is implied
        manufacturers = list(found["manufacturer_id"])
    by_key = {}
    for m in manufacturers:
        s = score.scores(con, scope, filters, m, by_month=by_month)
        for rec in s.to_dict("records"):
            key = (m, rec["station_id"], rec["month"] if by_month else None)
            by_key[key] = rec["score"]
    df["score"] = [
        by_key.get((r.get("manufacturer_id", manufacturers[0]), r["station_id"], r.get("month")))
        for r in df.to_dict("records")
    ]
    df["score"] = df["score"].astype("float64")
    return df


def records(df) -> list[dict]:
    """The table's rows as JSON-ready records: *no value* is ``None`` (never NaN)."""
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in df.astype(object).where(df.notna(), None).to_dict("records")]


def run(args) -> int:
    filters = Filters(
        date_from=args.date_from, date_to=args.date_to,
        manufacturer_ids=(args.manufacturer_id,) if args.manufacturer_id else (),
        station_ids=(args.station_id,) if args.station_id else (),
    )
    con = store.reader(args.db)
    df = table(con, filters, args.by)
    if args.format == "csv":
        text = df.to_csv(index=False, na_rep="", lineterminator="\n")
    else:
        text = json.dumps(records(df), indent=1, ensure_ascii=False, default=str) + "\n"
    write_text(text, args.output)
    return 0
