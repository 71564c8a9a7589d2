"""The Disputes page's drill-down figures that :mod:`analytics.metrics.disputes` does not give:
the disputes counted by one key with an optional reason (a click on the Pareto combines a reason
with the territory, station, category and period filters) and the reasons growing fastest
against the previous period of the same length. Scope applied in SQL (``queries/page_data/disputes/``)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.access.scope import Scope, ScopeError
from analytics.core import sql
from analytics.core.filters import Filters
from analytics.metrics.table import query_params
from analytics.page_data.overview import previous_period
from analytics.page_data.territories import station_choices

#: The keys disputes are counted by.
BREAKDOWN_KEYS: tuple[str, ...] = ("reason", "country", "region", "station", "product_category", "month")
#: The period the growth is measured over when the selection has none: the last days with disputes.
DEFAULT_GROWTH_DAYS = 90


def breakdown(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, key: str,
              reason: str | None = None) -> pd.DataFrame:
    """``key, disputes, disputed_amount_eur, open_disputes, invoiced_blocked_disputes,
    invoiced_blocked_share`` (and ``name`` for stations) by ``key``, most disputes first; with
    ``reason``, that reason's disputes only. ``invoiced_blocked_disputes`` are the disputes on
    interventions invoiced while blocked, ``invoiced_blocked_share`` their share of the key's
    disputes. A station viewer may not count by station (other stations' names are not its to see)."""
    if key not in BREAKDOWN_KEYS:
        raise ValueError(f"key must be one of {', '.join(BREAKDOWN_KEYS)}, not {key!r}")
    if key == "station" and not scope.sees_other_stations:
        raise ScopeError("a station viewer cannot count disputes by station")
    frame = sql.fetch_df(con, "page_data/disputes/breakdown", {**query_params(scope, filters), "by": key,
                                                                "reason": reason})
    frame["invoiced_blocked_share"] = frame["invoiced_blocked_share"].astype("float64")
    if key == "station":
        names = station_choices(con, scope)
        frame.insert(1, "name", [names.get(s) for s in frame["key"]])
    return frame


def growth_periods(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> tuple[Filters, Filters] | None:
    """The period the growth is measured over and the one before it (same length): the selection's
    period when it has both ends, else the last :data:`DEFAULT_GROWTH_DAYS` days up to the last
    disputed intervention of the selection; None when there is no dispute."""
    if filters.date_from is not None and filters.date_to is not None:
        return filters, previous_period(filters)
    rows = sql.fetch_all(con, "page_data/disputes/last_day", query_params(scope, filters))
    last = rows[0][0] if rows else None
    if last is None:
        return None
    start = max(last - dt.timedelta(days=DEFAULT_GROWTH_DAYS - 1), filters.date_from or dt.date.min)
    now = filters.with_(date_from=start, date_to=last)
    return now, previous_period(now)


def reason_growth(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """``reason, disputes, disputes_before, change, growth`` per normalised reason, fastest growing
    first (``change`` = disputes − disputes_before; ``growth`` = change / disputes_before, NaN when
    there were none before), over :func:`growth_periods`. Empty when there is no dispute."""
    periods = growth_periods(con, scope, filters)
    columns = ["reason", "disputes", "disputes_before", "change", "growth"]
    if periods is None:
        return pd.DataFrame(columns=columns)
    now, before = periods
    span = filters.with_(date_from=before.date_from, date_to=now.date_to)
    frame = sql.fetch_df(con, "page_data/disputes/reason_growth", {
        **query_params(scope, span), "before_from": before.date_from, "before_to": before.date_to,
        "now_from": now.date_from})
    frame["change"] = frame["disputes"] - frame["disputes_before"]
    frame["growth"] = [c / b if b else float("nan") for c, b in zip(frame["change"], frame["disputes_before"])]
    frame.attrs["period"] = (now.date_from, now.date_to)
    frame.attrs["before"] = (before.date_from, before.date_to)
    return frame[columns]
