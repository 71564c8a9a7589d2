"""The performance score (``metrics.md``) and the bonus/malus (``policy-format.md``).

Scores are computed among the *scored* stations of one manufacturer and one period
(at least 20 interventions of that manufacturer in the period) from the figures of
:func:`analytics.metrics.metric_table`, so a score's terms are exactly the figures
shown elsewhere.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .filters import Filters
from .scope import Scope

#: Stations with fewer interventions get no score ("not enough data").
MIN_INTERVENTIONS = 20
#: Weighted metrics when a policy version has no ``score_weights`` (equal weights).
DEFAULT_SCORE_METRICS = ("first_time_fix_rate", "repeat_rate", "tat_days_median",
                         "doc_complete_rate", "dispute_rate")


def score_weights(con: duckdb.DuckDBPyConnection, manufacturer_id: str, on: dt.date) -> dict[str, float]:
    """``{metric: weight}`` of the manufacturer's version in force on ``on``
    (equal weights over :data:`DEFAULT_SCORE_METRICS` when it has none, or when
    no version is in force)."""
    raise NotImplementedError


def scores(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, manufacturer_id: str,
           by_month: bool = False) -> pd.DataFrame:
    """One row per station (and ``month`` when ``by_month``) of ``manufacturer_id``.

    Columns: ``manufacturer_id, station_id, [month,] interventions, scored, score``,
    then for each metric ``m`` weighted in the period: ``m`` (value), ``m_rank``
    (percentile rank ``100*(w+e/2)/(N-1)``, 50 when N = 1), ``m_weight``,
    ``m_contribution`` (weight × rank / the sum of the weights of the ranks that have
    a value, so that the contributions add up to ``score``). ``score`` is NaN for a
    station below 20 interventions (``scored = False``) or with no ranked metric.

    The period is ``filters.date_from``–``filters.date_to`` (a missing bound: the
    first/last ``completed_on`` of the manufacturer's interventions), or each calendar
    month within it when ``by_month``; the weights are those in force on the period's
    last day. Only the period shapes the computation; the station/country/region
    filters and the scope select which rows are returned (a station viewer gets its
    own row only, ranked among all scored stations).
    """
    raise NotImplementedError


def score_terms(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, manufacturer_id: str,
                by_month: bool = False) -> pd.DataFrame:
    """The terms of :func:`scores` in long form, one row per station[, month] and metric:
    ``manufacturer_id, station_id, [month,] score, metric, value, percentile_rank, ranked_stations,
    weight, contribution``."""
    raise NotImplementedError


def performance_adjustments(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str | None = None,
                            month: str | None = None) -> pd.DataFrame:
    """The bonus/malus of each station's month (``policy-format.md``, performance adjustment).

    One row per (manufacturer, station, month ``YYYY-MM``) with interventions, for
    manufacturers whose version in force on the month's last day has ``bonus_tiers``:
    ``manufacturer_id, station_id, month, score, tier_no, min_score, max_score,
    labor_adjustment, currency, labor_amount`` (summed calculated labour of the
    station's interventions of that manufacturer completed in the month, with a
    policy), ``adjustment_amount`` (``labor_adjustment × labor_amount`` rounded once
    to the cent, half away from zero, a ``Decimal``). No score or no matching tier:
    tier columns and ``adjustment_amount`` are None. Filtered by the scope.
    """
    raise NotImplementedError
