"""The metrics of ``shared/spec/metrics.md``: one function behind every figure.

Every figure the app, the CLI or an export shows comes from :func:`metric_table`
(interventions, disputes and invoices), :func:`scores` (performance score and its
terms), :func:`performance_adjustments` (bonus/malus) or :func:`peer_comparison`
(a station's anonymous view of its peers). They read the engine's small rollups
(``queries/engine/rollup_*.sql``, documented in ``docs/ENGINE.md`` "Metrics"), never
raw interventions, and apply the viewer's :class:`~analytics.scope.Scope` in SQL
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

from .filters import Filters
from .scope import Scope

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


class UnknownKey(ValueError):
    """A grouping key outside :data:`GROUP_KEYS`."""


def metric_columns(by: Sequence[str] = ()) -> list[str]:
    """The exact column list (and order) :func:`metric_table` returns for ``by``."""
    raise NotImplementedError


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
    :class:`~analytics.scope.ScopeError` when the filters leave the scope.
    """
    raise NotImplementedError


def missing_fx_rates(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """The rates a euro figure of this selection lacks: ``currency, month, interventions``.

    One row per (currency, ``YYYY-MM``) for which some intervention of the selection
    contributes an amount (requested, calculated or disputed) and ``fx_rates`` has no
    rate; ``interventions`` counts them. Empty when every euro figure has a value.
    """
    raise NotImplementedError


def peer_comparison(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                    station_id: str, manufacturer_id: str) -> pd.DataFrame:
    """A station's own figures next to anonymous aggregates over its peers.

    Peers: every station with interventions of ``manufacturer_id`` in the filters'
    period and territory/category filters (the station filter is ignored), the
    station itself included. One row per metric with a ``better`` direction:
    ``metric, value`` (the station's own), ``peers`` (N, stations with a value),
    ``median, q1, q3`` (linear interpolation) and ``rank`` (1 = best; 1 + the
    number of peers strictly better), all ``None`` (``withheld = True``) when
    fewer than 5 stations have a value. Never returns another station's id or figure.
    A station scope may ask only for its own station.
    """
    raise NotImplementedError


# Score and bonus/malus live in analytics/score.py; re-exported here so pages import one module.
from .score import performance_adjustments, score_terms, score_weights, scores  # noqa: E402,F401
