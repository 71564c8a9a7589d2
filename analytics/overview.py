"""The Overview page's figures: headline metrics vs the previous period, monthly trends, pipeline.

Every metric comes from :func:`analytics.metrics.metric_table`; this module only chooses the
periods (the previous period is the same number of days ending the day before the period
starts; a missing bound is the selection's first/last ``completed_on``) and counts the pipeline
stages (``queries/overview/pipeline.sql``). Scope applied in SQL.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from . import sql
from .catalog import METRICS
from .filters import Filters
from .metrics import metric_table, query_params
from .scope import Scope

#: The pipeline stages, in order (queries/overview/pipeline.sql defines each).
PIPELINE_STAGES = ("reported", "ready", "invoiced", "disputed", "resolved", "paid")
#: The metrics shown as headline figures (amounts in euros, as metric_table's ``*_eur``).
HEADLINE_METRICS = ("interventions", "first_time_fix_rate", "repeat_rate", "tat_days_median",
                    "ready_rate", "dispute_rate", "requested_amount", "cost_per_intervention")


def metric_column(name: str) -> str:
    """The metric_table column of a metric: amounts in euros (``<name>_eur``)."""
    kind = next(m.kind for m in METRICS if m.name == name)
    return f"{name}_eur" if kind == "amount" else name


def period_of(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> tuple[dt.date | None, dt.date | None]:
    """The filters' period with each missing bound taken from the selection (None when empty)."""
    if filters.date_from and filters.date_to:
        return filters.date_from, filters.date_to
    first, last = sql.fetch_all(con, "overview/period_bounds", query_params(scope, filters))[0]
    return filters.date_from or first, filters.date_to or last


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length ending the day before ``date_from``."""
    days = (date_to - date_from).days
    end = date_from - dt.timedelta(days=1)
    return end - dt.timedelta(days=days), end


def headline(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row per headline metric: ``metric, value, previous, change`` (value − previous; NaN
    when either has no value) and the two periods ``date_from, date_to, previous_from, previous_to``."""
    date_from, date_to = period_of(con, scope, filters)
    cols = ["metric", "value", "previous", "change", "date_from", "date_to", "previous_from", "previous_to"]
    if date_from is None:
        now = metric_table(con, scope, filters)
        rows = [{"metric": m, "value": now[metric_column(m)].iloc[0]} for m in HEADLINE_METRICS]
        return pd.DataFrame(rows, columns=cols)
    prev_from, prev_to = previous_period(date_from, date_to)
    now = metric_table(con, scope, filters.with_(date_from=date_from, date_to=date_to))
    before = metric_table(con, scope, filters.with_(date_from=prev_from, date_to=prev_to))
    rows = []
    for m in HEADLINE_METRICS:
        col = metric_column(m)
        value, previous = float(now[col].iloc[0]), float(before[col].iloc[0])
        rows.append({"metric": m, "value": value, "previous": previous, "change": value - previous,
                     "date_from": date_from, "date_to": date_to, "previous_from": prev_from,
                     "previous_to": prev_to})
    return pd.DataFrame(rows, columns=cols)


def monthly_trends(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Every metric by month ``YYYY-MM`` (metric_table grouped by month), sorted by month."""
    return metric_table(con, scope, filters, ["month"]).sort_values("month").reset_index(drop=True)


def pipeline(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """``stage, interventions`` for each of :data:`PIPELINE_STAGES`, in order."""
    counts = sql.fetch_all(con, "overview/pipeline", query_params(scope, filters))[0]
    return pd.DataFrame({"stage": PIPELINE_STAGES, "interventions": [int(c) for c in counts]})
