"""Territories: the metrics of each country and region, and their policy parameters.

Figures come from :func:`analytics.metrics.table.metric_table` grouped by country (and
region), so a territory's figure is the number every other page shows for the same
selection; the policy parameters side by side come from
:func:`analytics.policy.in_force.territory_parameters`. Both apply the viewer's scope in SQL
(a station sees only its own territory, a manufacturer only its brand's figures).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.metrics.table import metric_table
from analytics.policy import in_force
from analytics.core import sql
from analytics.catalog import METRICS, METRICS_BY_NAME
from analytics.core.filters import Filters
from analytics.access.scope import Scope

#: Metrics a map can be coloured by: every intervention metric (amounts in euros, the only
#: unit comparable across countries with different currencies).
MAP_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.family == "intervention")
LEVELS = ("country", "region", "station")


def map_column(metric: str) -> str:
    """The column of :func:`territory_table` holding ``metric`` for the map (amounts: ``_eur``)."""
    if metric not in METRICS_BY_NAME:
        raise ValueError(f"unknown metric {metric!r}")
    return METRICS_BY_NAME[metric].value_column


def territory_table(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                    level: str = "country") -> pd.DataFrame:
    """Every metric per country (``level="country"``), per country and region (``"region"``;
    region ``''`` for stations with none) or per station of its country and region (``"station"``,
    with the station's ``name``), as :func:`analytics.metrics.table.metric_table` returns it."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    by = {"country": ["country"], "region": ["country", "region"], "station": ["country", "region", "station"]}[level]
    table = metric_table(con, scope, filters, by=by)
    if level == "station":
        names = station_choices(con, scope)
        table.insert(list(table.columns).index("station_id") + 1, "name", [names.get(s) for s in table["station_id"]])
    return table


def map_values(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, metric: str) -> pd.DataFrame:
    """``country, value`` for colouring a map by ``metric`` (value NaN/None: no value)."""
    column = map_column(metric)
    table = territory_table(con, scope, filters, "country")
    return pd.DataFrame({"country": table["country"], "value": table[column]})


def filter_choices(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, list[str]]:
    """``{kind: values}`` the viewer may filter on (``manufacturer``, ``country``, ``region``,
    ``product_category``), from the interventions in its scope (``queries/territories/filter_choices.sql``)."""
    out: dict[str, list[str]] = {"manufacturer": [], "country": [], "region": [], "product_category": []}
    for kind, value in sql.fetch_all(con, "page_data/territories/filter_choices", scope.params()):
        out[kind].append(value)
    return out


def station_choices(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, str]:
    """``{station_id: name}`` of the stations the viewer may filter on: those with interventions in
    its scope (``queries/page_data/territories/station_choices.sql``), by id."""
    return dict(sql.fetch_all(con, "page_data/territories/station_choices", scope.params()))


def policy_parameters(con: duckdb.DuckDBPyConnection, scope: Scope,
                      on: dt.date | None = None) -> pd.DataFrame:
    """Labour rate, currency, travel and VAT of each territory side by side
    (see :func:`analytics.policy.in_force.territory_parameters`)."""
    return in_force.territory_parameters(con, scope, on)
