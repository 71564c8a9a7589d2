"""The Overview page's figures that :mod:`analytics.metrics.table` does not give: the pipeline
(reported → ready → invoiced → disputed → resolved → paid) and the previous period a headline
figure is compared with. Every metric itself comes from :func:`analytics.metrics.table.metric_table`.
Scope applied in SQL with bound parameters (``queries/overview/``)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.core.filters import Filters
from analytics.metrics.table import metric_table, query_params
from analytics.access.scope import Scope

#: The stages of the pipeline, in order (``queries/overview/pipeline.sql`` defines each).
STAGES: tuple[str, ...] = ("reported", "ready", "invoiced", "disputed", "resolved", "paid")


def pipeline(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """``stage, interventions``: of the interventions in the selection, how many reached each
    stage (counted independently over the same set, see the SQL file's definitions)."""
    row = sql.fetch_df(con, "page_data/overview/pipeline", query_params(scope, filters))
    counts = row.iloc[0] if len(row) else pd.Series(0, index=list(STAGES))
    return pd.DataFrame({"stage": list(STAGES), "interventions": [int(counts[s] or 0) for s in STAGES]})


#: The funnel's stages, each within the one before (``queries/page_data/overview/funnel.sql``).
FUNNEL_STAGES: tuple[str, ...] = ("reported", "ready", "invoiced", "paid")
#: Counted beside the funnel: disputes within the ready and invoiced interventions, and the mark
#: of interventions invoiced while blocked.
BESIDE_FUNNEL: tuple[str, ...] = ("disputed", "resolved", "invoiced_blocked")


#: funnel stage -> its column of ``queries/page_data/overview/pipeline.sql``.
_FUNNEL_COLUMNS = {"reported": "reported", "ready": "ready", "invoiced": "ready_invoiced", "paid": "ready_paid",
                   "disputed": "ready_disputed", "resolved": "ready_resolved", "invoiced_blocked": "invoiced_blocked"}


def funnel(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> dict[str, int]:
    """Of the interventions in the selection: ``reported`` ⊇ ``ready`` ⊇ ``invoiced`` (ready and
    invoiced) ⊇ ``paid``; ``disputed`` ⊇ ``resolved`` within the ready and invoiced ones; and
    ``invoiced_blocked``, those invoiced while their status is blocked."""
    row = sql.fetch_df(con, "page_data/overview/pipeline", query_params(scope, filters))
    return {stage: int(row.iloc[0][column] or 0) if len(row) else 0 for stage, column in _FUNNEL_COLUMNS.items()}


def data_last_day(con: duckdb.DuckDBPyConnection, scope: Scope) -> dt.date | None:
    """The last completion day of the interventions in the scope (None: no intervention)."""
    rows = sql.fetch_all(con, "page_data/overview/last_day", scope.params())
    return rows[0][0] if rows else None


def incomplete_months(last_day: dt.date | None, filters: Filters) -> frozenset[str]:
    """The months (``YYYY-MM``) a trend of the selection shows only in part: the month the data or
    the period ends in before its last day, and the month the period starts in after its first."""
    out = set()
    end = min(d for d in (last_day, filters.date_to) if d is not None) if (last_day or filters.date_to) else None
    if end is not None:
        month_end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if end < month_end:
            out.add(end.strftime("%Y-%m"))
    if filters.date_from is not None and filters.date_from.day != 1:
        out.add(filters.date_from.strftime("%Y-%m"))
    return frozenset(out)


def previous_period(filters: Filters) -> Filters | None:
    """The same filters over the period of the same length that ends the day before ``date_from``;
    ``None`` when the period is not bounded on both sides (nothing to compare with)."""
    if filters.date_from is None or filters.date_to is None:
        return None
    days = (filters.date_to - filters.date_from).days + 1
    end = filters.date_from - dt.timedelta(days=1)
    return filters.with_(date_from=end - dt.timedelta(days=days - 1), date_to=end)


def headline(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> tuple[pd.Series, pd.Series | None]:
    """The selection's one-row :func:`metric_table` and that of :func:`previous_period` (or None)."""
    now = metric_table(con, scope, filters).iloc[0]
    before = previous_period(filters)
    return now, (metric_table(con, scope, before).iloc[0] if before is not None else None)
