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
