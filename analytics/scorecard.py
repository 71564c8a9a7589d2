"""One station's scorecard: its identity, amounts, what to fix now, and which improvement would
raise its score most. Metrics, peers and scores come from :mod:`analytics.metrics`; this module
adds the figures only the scorecard needs (``queries/scorecard/*.sql``), scope applied in SQL.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from . import score as score_mod
from . import sql
from .catalog import METRICS_BY_NAME
from .filters import Filters
from .metrics import metric_table, query_params
from .scope import Scope, ScopeError


def _check_station(scope: Scope, station_id: str) -> None:
    if scope.station_id is not None and scope.station_id != station_id:
        raise ScopeError("this view is limited to your own station")


def stations_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """``station_id, name, country`` of every station with interventions the viewer may see."""
    return sql.fetch_df(con, "scorecard/stations_in_scope", scope.params())


def station_info(con: duckdb.DuckDBPyConnection, scope: Scope, station_id: str) -> pd.DataFrame:
    """``station_id, name, country, region, manufacturer_id, interventions``: one row per brand the
    station worked for within the scope (most interventions first); empty when outside the scope."""
    _check_station(scope, station_id)
    return sql.fetch_df(con, "scorecard/station", {"station_id": station_id, **scope.params()})


def amounts(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str) -> pd.DataFrame:
    """``currency, requested, calculated, paid`` (Decimals or None) of the station, per currency."""
    _check_station(scope, station_id)
    return sql.fetch_df(con, "scorecard/amounts", {"station_id": station_id, **query_params(scope, filters)})


def open_items(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str) -> pd.DataFrame:
    """What to fix now: ``kind`` ('dispute' | 'finding'), ``intervention_id, code, severity, detail,
    amount, since`` — blocking/review findings of interventions not ready, and open disputes."""
    _check_station(scope, station_id)
    return sql.fetch_df(con, "scorecard/open_items", {"station_id": station_id, **query_params(scope, filters)})


def improvements(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str,
                 manufacturer_id: str) -> pd.DataFrame:
    """Which single improvement would raise the station's score most.

    For each weighted metric where the station is worse than the median of the scored stations
    (≥ 20 interventions) of ``manufacturer_id`` in the period: the score the station would have
    with that metric at the median, everything else (including the other stations) unchanged,
    computed by the same scoring code as :func:`analytics.metrics.scores`. Columns ``metric,
    value, median, score, new_score, gain`` (points), largest gain first. Empty when the station
    is not scored. Only the station's own figures and the median leave this function.
    """
    _check_station(scope, station_id)
    score_mod._check_scope(scope, manufacturer_id)
    cols = ["metric", "value", "median", "score", "new_score", "gain"]
    basis = Filters(date_from=filters.date_from, date_to=filters.date_to, manufacturer_ids=(manufacturer_id,))
    figures = metric_table(con, Scope.manager(), basis, ["station"])
    if station_id not in set(figures["station_id"]):
        return pd.DataFrame(columns=cols)
    last = filters.date_to
    if last is None:
        last = sql.fetch_all(con, "metrics/period_bounds", {"manufacturer_id": manufacturer_id, **basis.params()})[0][1]
    # Scoring reuses score._score_period (the one implementation of metrics.md's score).
    def score_with(frame: pd.DataFrame):
        rows = score_mod._score_period(con, frame, manufacturer_id, last, {})
        return next(r["score"] for r in rows if r["station_id"] == station_id)

    current = score_with(figures)
    if current is None:
        return pd.DataFrame(columns=cols)
    scored = figures[figures["interventions"] >= score_mod.MIN_INTERVENTIONS]
    own = figures[figures["station_id"] == station_id].iloc[0]
    out = []
    for m in score_mod._weights(con, manufacturer_id, last):
        col = score_mod.value_column(m)
        median = scored[col].dropna().median()
        value = own[col]
        if pd.isna(median):
            continue
        better = METRICS_BY_NAME[m].better
        if not pd.isna(value) and (value <= median if better == "higher" else value >= median):
            continue  # already at or better than the median
        changed = figures.copy()
        changed.loc[changed["station_id"] == station_id, col] = median
        new = score_with(changed)
        if new is None:
            continue
        out.append({"metric": m, "value": None if pd.isna(value) else float(value), "median": float(median),
                    "score": float(current), "new_score": float(new), "gain": float(new - current)})
    df = pd.DataFrame(out, columns=cols)
    return df.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


def station_trend(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str) -> pd.DataFrame:
    """The station's metrics by month (metric_table for this station grouped by month)."""
    _check_station(scope, station_id)
    return metric_table(con, scope, filters.with_(station_ids=(station_id,)), ["month"]).sort_values("month")


