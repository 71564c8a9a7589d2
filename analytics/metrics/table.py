"""The metrics of ``shared/spec/metrics.md``: one function behind every figure.

Every figure the app, the CLI or an export shows comes from :func:`metric_table`
(interventions, disputes and invoices), :func:`scores` (performance score and its
terms), :func:`performance_adjustments` (bonus/malus) or :func:`peer_comparison`
(a station's anonymous view of its peers). They read the engine's small rollups
(``queries/engine/rollup_*.sql``, documented in ``docs/ENGINE.md`` "Metrics"), never
raw interventions, and apply the viewer's :class:`~analytics.access.scope.Scope` in SQL
with bound parameters.

Conventions of the returned frames:

* key columns first (``station_id, manufacturer_id, country, region, month,
  product_category`` for the keys asked, in that order), then the metrics in
  :data:`analytics.catalog.METRICS` order;
* amount metrics as ``<name>_eur`` (each intervention converted at the ``fx_rates``
  rate of its ``completed_on`` month, exact decimals, no intermediate rounding),
  then ``currency`` and ``<name>`` (native) when the group's currency is unique;
* *no value* is ``NaN``/``None`` (ratios, medians, means over an empty set, a euro
  figure with a missing rate, a native figure over mixed currencies); counts and
  sums over an empty set are 0.
"""
from __future__ import annotations

from typing import Sequence

import duckdb
import pandas as pd

from analytics.engine import models as engine_models
from analytics.core import sql
from analytics.catalog import AMOUNT_METRICS, METRICS
from analytics.core.filters import Filters
from analytics.access.scope import Scope

#: Grouping keys accepted by :func:`metric_table`, and the column each one yields.
KEY_COLUMNS: dict[str, str] = {
    "station": "station_id",
    "manufacturer": "manufacturer_id",
    "country": "country",
    "region": "region",
    "month": "month",
    "product_category": "product_category",
}
GROUP_KEYS: tuple[str, ...] = tuple(KEY_COLUMNS)
#: Peer aggregates are withheld below this many stations with a value (anonymity).
MIN_PEERS = 5


class UnknownKey(ValueError):
    """A grouping key outside :data:`GROUP_KEYS`."""


#: Metric columns in catalog order (amounts in euros), then the native-currency block.
METRIC_COLUMNS: tuple[str, ...] = tuple(
    m.value_column for m in METRICS
) + ("currency",) + AMOUNT_METRICS

#: The models behind these figures (facts, then rollups), as listed in analytics.engine.models.MODELS.
MODELS: tuple[str, ...] = tuple(m for m in engine_models.MODELS if m.startswith(("facts_", "rollup_")))


def check_keys(by: Sequence[str] | str | None, allowed=GROUP_KEYS) -> tuple[str, ...]:
    """``by`` as a tuple of known keys (a comma string is accepted); :class:`UnknownKey` otherwise."""
    if by is None:
        return ()
    if isinstance(by, str):
        by = [k.strip() for k in by.split(",") if k.strip()]
    unknown = [k for k in by if k not in allowed]
    if unknown:
        raise UnknownKey(f"unknown grouping key {unknown[0]!r}; choose among {', '.join(allowed)}")
    return tuple(dict.fromkeys(by))


def metric_columns(by: Sequence[str] = ()) -> list[str]:
    """The exact column list (and order) :func:`metric_table` returns for ``by``."""
    keys = check_keys(by)
    return [col for key, col in KEY_COLUMNS.items() if key in keys] + list(METRIC_COLUMNS)


def query_params(scope: Scope, filters: Filters) -> dict:
    """Scope and filter parameters, after refusing filters outside the scope."""
    scope.check_filter(manufacturer_ids=filters.manufacturer_ids, station_ids=filters.station_ids)
    return {**scope.params(), **filters.params()}


def _group_params(keys: Sequence[str]) -> dict:
    return {
        "g_station": "station" in keys,
        "g_manufacturer": "manufacturer" in keys,
        "g_country": "country" in keys,
        "g_region": "region" in keys,
        "g_month": "month" in keys,
        "g_category": "product_category" in keys,
    }


def no_value_as_nan(df: pd.DataFrame, columns) -> pd.DataFrame:
    """``df`` with each of ``columns`` (but ``currency``) as float64, *no value* as NaN (exact
    decimals and NULLs from SQL become floats and NaN for the frames' readers)."""
    for col in columns:
        if col in df.columns and col not in ("currency",):
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def metric_table(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                 by: Sequence[str] = ()) -> pd.DataFrame:
    """Every metric of ``metrics.md`` for the viewer's selection, one row per group.

    ``by`` holds keys among :data:`GROUP_KEYS` (empty: one row for the whole
    selection, even when it is empty). Columns: :func:`metric_columns` ``(by)``.
    Intervention and dispute figures follow the intervention (its ``completed_on``
    month, station, manufacturer, station country/region, product category);
    invoice figures (``days_to_pay_median``, ``unpaid_share``) follow the invoice
    (``issued_on`` month) and have no value when grouped or filtered by product
    category. A group appears when it has at least one intervention or invoice.
    Raises :class:`UnknownKey` for an unknown key and
    :class:`~analytics.access.scope.ScopeError` when the filters leave the scope.
    """
    keys = check_keys(by)
    params = {**query_params(scope, filters), **_group_params(keys)}
    df = sql.fetch_df(con, "metrics/metric_table", params)
    df = df[metric_columns(keys)].reset_index(drop=True)
    df["interventions"] = df["interventions"].astype("int64")
    df["currency"] = df["currency"].astype(object).where(df["currency"].notna(), None)
    return no_value_as_nan(df, [c for c in METRIC_COLUMNS if c != "interventions"])


def missing_fx_rates(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """The rates a euro figure of this selection lacks: ``currency, month, interventions``.

    One row per (currency, ``YYYY-MM``) for which some intervention of the selection
    contributes an amount (requested, calculated or disputed) and ``fx_rates`` has no
    rate; ``interventions`` counts them. Empty when every euro figure has a value.
    """
    return sql.fetch_df(con, "metrics/missing_fx_rates", query_params(scope, filters))


def peer_comparison(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                    station_id: str, manufacturer_id: str, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """A station's own figures next to anonymous aggregates over its peers.

    Peers: every station with interventions of ``manufacturer_id`` in the filters'
    period and territory/category filters (the station filter is ignored), the
    station itself included. One row per metric with a ``better`` direction:
    ``metric, value`` (the station's own), ``peers`` (N, stations with a value),
    ``median, q1, q3`` (linear interpolation) and ``rank`` (1 = best; 1 + the
    number of peers strictly better), all ``None`` (``withheld = True``) when
    fewer than 5 stations have a value. Never returns another station's id or figure.
    A station scope may ask only for its own station.

    ``figures``: :func:`metric_table` by station of every station of ``manufacturer_id`` over the
    filters' period and no other filter, when the caller has read them (the Scorecard's scoring):
    the peers' rows are then those of the stations of the filters' countries (a station's cells all
    carry its country), which needs filters that choose no region or category (read here otherwise).
    """
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    # The peers' figures are read in an unrestricted scope; only anonymous aggregates leave here.
    basis = filters.with_(manufacturer_ids=(manufacturer_id,), station_ids=())
    if figures is None or basis.regions or basis.product_categories:
        return peer_rows(metric_table(con, Scope.manager(), basis, ["station"]), station_id)
    if basis.countries:
        in_countries = {s for (s,) in sql.fetch_all(con, "metrics/visible_stations", {
            **Scope.manager().params(), **Filters(countries=basis.countries).params(),
            "manufacturer_id": manufacturer_id})}
        figures = figures[figures["station_id"].isin(in_countries)]
    return peer_rows(figures, station_id)


def peer_rows(figures: pd.DataFrame, station_id: str) -> pd.DataFrame:
    """:func:`peer_comparison` from the peers' figures: :func:`metric_table` by station, one row per
    peer (read by a caller that has them already). Only anonymous aggregates and the station's own
    figures leave."""
    own = figures[figures["station_id"] == station_id]
    rows = []
    for m in METRICS:
        if not m.better:
            continue
        col = m.value_column
        values = figures[col].dropna()
        mine = own[col].iloc[0] if len(own) and not pd.isna(own[col].iloc[0]) else None
        row = {"metric": m.name, "value": mine, "peers": int(len(values)), "median": None, "q1": None,
               "q3": None, "rank": None, "withheld": len(values) < MIN_PEERS}
        if not row["withheld"]:
            row.update(median=float(values.quantile(0.5)), q1=float(values.quantile(0.25)),
                       q3=float(values.quantile(0.75)))
            if mine is not None:
                better = values < mine if m.better == "lower" else values > mine
                row["rank"] = 1 + int(better.sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=["metric", "value", "peers", "median", "q1", "q3", "rank", "withheld"])

