"""The performance score (``metrics.md``) and the bonus/malus (``policy-format.md``).

Scores are computed among the *scored* stations of one manufacturer and one period
(at least 20 interventions of that manufacturer in the period) from the figures of
:func:`analytics.metrics.table.metric_table`, so a score's terms are exactly the figures
shown elsewhere. Ranks, weights and scores are computed in exact fractions (a score
of exactly 80 meets a tier's ``min_score = 80``) and returned as floats.
"""
from __future__ import annotations

import bisect
import calendar
import math
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.catalog import METRICS_BY_NAME
from analytics.core.filters import Filters
from analytics.access.scope import Scope
from analytics.metrics.table import metric_table

#: Stations with fewer interventions get no score ("not enough data").
MIN_INTERVENTIONS = 20
#: Weighted metrics when a policy version has no ``score_weights`` (equal weights).
DEFAULT_SCORE_METRICS = ("first_time_fix_rate", "repeat_rate", "tat_days_median",
                         "doc_complete_rate", "dispute_rate")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


def score_weights(con: duckdb.DuckDBPyConnection, manufacturer_id: str, on: dt.date) -> dict[str, float]:
    """``{metric: weight}`` of the manufacturer's version in force on ``on``
    (equal weights over :data:`DEFAULT_SCORE_METRICS` when it has none, or when
    no version is in force)."""
    return {m: float(w) for m, w in _weights(con, manufacturer_id, on).items()}


def _weights(con, manufacturer_id: str, on: dt.date) -> dict[str, Fraction]:
    return _weights_by_version(con, manufacturer_id).on(on)


class _ByVersion:
    """Something set per policy version (weights, tiers), looked up for a day without asking the
    store again: the version in force is the one with the latest ``valid_from <= day``."""

    def __init__(self, per_version: dict[dt.date, object], default):
        self.days = sorted(per_version)
        self.per_version, self.default = per_version, default

    def on(self, day: dt.date):
        i = bisect.bisect_right(self.days, day)
        return self.per_version[self.days[i - 1]] if i else self.default


def _weights_by_version(con, manufacturer_id: str) -> _ByVersion:
    """Score weights of every version; equal weights over :data:`DEFAULT_SCORE_METRICS` for a
    version without ``score_weights`` and before the first version."""
    equal = {m: Fraction(1) for m in DEFAULT_SCORE_METRICS}
    per_version: dict[dt.date, dict[str, Fraction]] = {}
    for valid_from, metric, weight in sql.fetch_all(con, "metrics/score_weights_by_version",
                                                    {"manufacturer_id": manufacturer_id}):
        weights = per_version.setdefault(valid_from, {})
        if metric is not None:
            weights[metric] = Fraction(weight)
    return _ByVersion({day: w or equal for day, w in per_version.items()}, equal)


def percentile_ranks(values: dict[str, float], better: str) -> dict[str, Fraction]:
    """``100*(w + e/2)/(N-1)`` for each station with a value (N = 1: 50); ``better`` "higher"/"lower".

    ``w``: stations whose value is worse, ``e``: *other* stations with an equal value. Sorted
    once and counted by bisection (O(N log N)); values compare exactly.
    """
    numerators, denominator = _rank_numerators(values, better)
    return {s: Fraction(k, denominator) for s, k in numerators.items()}


def _rank_numerators(values: dict[str, float], better: str) -> tuple[dict[str, int], int]:
    """The percentile ranks as integer numerators over one denominator: ``({station: k}, d)``
    with rank = k / d (``100*(2w + e)`` over ``2(N-1)``; N = 1: 50 over 1)."""
    present = {s: v for s, v in values.items() if v is not None and not pd.isna(v)}
    n = len(present)
    if n == 1:
        return {s: 50 for s in present}, 1
    ordered = sorted(present.values())
    out = {}
    for s, v in present.items():
        below = bisect.bisect_left(ordered, v)
        equal = bisect.bisect_right(ordered, v) - below - 1
        worse = below if better == "higher" else n - below - equal - 1
        out[s] = 100 * (2 * worse + equal)
    return out, 2 * (n - 1)


def _score_period(weights_by_version: _ByVersion, figures: list[dict], manufacturer_id: str,
                  last_day: dt.date, key_cols: dict) -> list[dict]:
    """Rows (one per station) of one period: figures by station (records of :func:`metric_table`),
    weights on ``last_day``.

    Exact: a score is a Fraction (a score of exactly 80 meets ``min_score = 80``). Every weighted
    rank ``w_m × k/d_m`` is an integer over one common denominator ``L``, so a station's score costs
    integer additions and one Fraction (a Fraction per operation made scoring every month of
    three years take seconds); ranks and contributions leave as correctly rounded floats.
    """
    weights = weights_by_version.on(last_day)
    scored = [rec for rec in figures if rec["interventions"] >= MIN_INTERVENTIONS]
    ranks = {m: _rank_numerators({rec["station_id"]: rec[METRICS_BY_NAME[m].value_column] for rec in scored},
                                 METRICS_BY_NAME[m].better) for m in weights}
    n_ranked = {m: len(numerators) for m, (numerators, _) in ranks.items()}
    # w_m × k/d_m = (w_m.numerator × k × L / (w_m.denominator × d_m)) / L
    common = math.lcm(*(weights[m].denominator * d for m, (_, d) in ranks.items())) if ranks else 1
    factor = {m: weights[m].numerator * (common // (weights[m].denominator * d)) for m, (_, d) in ranks.items()}
    total_of: dict[tuple, Fraction] = {}  # sum of the weights of the ranked metrics, per set of metrics
    rows = []
    for rec in figures:
        s = rec["station_id"]
        is_scored = rec["interventions"] >= MIN_INTERVENTIONS
        ranked = tuple(m for m in weights if is_scored and s in ranks[m][0])
        if ranked not in total_of:
            total_of[ranked] = sum((weights[m] for m in ranked), Fraction(0))
        total_w = total_of[ranked]
        weighted = {m: factor[m] * ranks[m][0][s] for m in ranked}  # × 1/common
        # score = sum(weighted) / common / total_w, kept exact
        score = Fraction(sum(weighted.values()) * total_w.denominator, common * total_w.numerator) if total_w else None
        row = {"manufacturer_id": manufacturer_id, "station_id": s, **key_cols,
               "interventions": int(rec["interventions"]), "scored": bool(is_scored), "score": score,
               "_terms": []}
        for m in weights:
            here = m in weighted
            row["_terms"].append({
                "metric": m, "value": rec[METRICS_BY_NAME[m].value_column],
                "percentile_rank": ranks[m][0][s] / ranks[m][1] if here else None,
                "ranked_stations": n_ranked[m] if is_scored else None, "weight": weights[m],
                "contribution": (weighted[m] * total_w.denominator / (common * total_w.numerator)) if here else None,
            })
        rows.append(row)
    return rows


def ranking_figures(con, filters: Filters, manufacturer_id: str, by_month: bool) -> pd.DataFrame:
    """What a score is computed from: :func:`metric_table` of every station of ``manufacturer_id``
    in the filters' period (the other filters do not apply), by station (and month when
    ``by_month``), in an unrestricted scope. Never to be shown as it is: only a station's own rows,
    its score and anonymous aggregates leave (the callers choose them)."""
    basis = Filters(date_from=filters.date_from, date_to=filters.date_to, manufacturer_ids=(manufacturer_id,))
    return metric_table(con, Scope.manager(), basis, ["station", "month"] if by_month else ["station"])


def score_rows(con, scope: Scope, filters: Filters, manufacturer_id: str, by_month: bool,
               figures: pd.DataFrame | None = None) -> list[dict]:
    """Scored rows of :func:`scores` (score as a ``Fraction``, terms under ``_terms``). ``figures``:
    :func:`ranking_figures` of the same period, manufacturer and ``by_month`` when the caller has
    read them already (read here otherwise)."""
    scope.require(manufacturer_id=manufacturer_id)
    scope.check_filter(station_ids=filters.station_ids)
    # Only the period and the manufacturer shape the ranking (anonymous aggregate over every
    # scored station); the scope and the other filters only choose the rows returned.
    if figures is None:
        figures = ranking_figures(con, filters, manufacturer_id, by_month)
    rows: list[dict] = []
    weights = _weights_by_version(con, manufacturer_id)
    records = figures.to_dict("records")  # once: per-month frames cost more than the scoring
    if by_month:
        months: dict[str, list[dict]] = {}
        for rec in records:
            months.setdefault(rec["month"], []).append(rec)
        for month in sorted(months):
            last = month_bounds(month)[1]
            if filters.date_to is not None:
                last = min(last, filters.date_to)
            rows += _score_period(weights, months[month], manufacturer_id, last, {"month": month})
    elif records:
        last = filters.date_to
        if last is None:
            bounds = sql.fetch_all(con, "metrics/period_bounds",
                                   {"manufacturer_id": manufacturer_id, **filters.params()})
            last = bounds[0][1]
        rows = _score_period(weights, records, manufacturer_id, last, {})
    return _visible(con, scope, filters, manufacturer_id, rows)


def _visible(con, scope: Scope, filters: Filters, manufacturer_id: str, rows: list[dict]) -> list[dict]:
    """The rows the viewer may see and the station/territory filters select, chosen in SQL
    (``queries/metrics/visible_stations.sql``: the scope fragment and those filters)."""
    if not rows:
        return rows
    visible = {s for (s,) in sql.fetch_all(con, "metrics/visible_stations", {
        **scope.params(), **filters.params(), "manufacturer_id": manufacturer_id})}
    return [r for r in rows if r["station_id"] in visible]


def _f(x):
    return None if x is None else float(x)


def scores(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, manufacturer_id: str,
           by_month: bool = False) -> pd.DataFrame:
    """One row per station (and ``month`` when ``by_month``) of ``manufacturer_id``.

    Columns: ``manufacturer_id, station_id, [month,] interventions, scored, score``,
    then for each metric ``m`` weighted in the period: ``m`` (value), ``m_rank``
    (percentile rank ``100*(w+e/2)/(N-1)``, 50 when N = 1), ``m_weight``,
    ``m_contribution`` (weight × rank / the sum of the weights of the ranks that have
    a value, so that the contributions add up to ``score``). ``score`` is NaN for a
    station below 20 interventions (``scored = False``) or with no ranked metric.
    Amount metrics are compared in euros (``<name>_eur``).

    The period is ``filters.date_from``–``filters.date_to`` (a missing bound: the
    first/last ``completed_on`` of the manufacturer's interventions), or each calendar
    month within it when ``by_month``; the weights are those in force on the period's
    last day. Only the period shapes the computation; the station/country/region
    filters and the scope select which rows are returned (a station viewer gets its
    own row only, ranked among all scored stations).
    """
    return scores_frame(score_rows(con, scope, filters, manufacturer_id, by_month), by_month)


def scores_frame(rows: list[dict], by_month: bool = False) -> pd.DataFrame:
    """Scored rows (:func:`score_rows`) as :func:`scores` returns them, one row per station[, month]."""
    out = []
    for r in rows:
        row = {k: v for k, v in r.items() if k != "_terms"}
        row["score"] = _f(row["score"])
        for t in r["_terms"]:
            m = t["metric"]
            row[m] = t["value"]
            row[f"{m}_rank"] = _f(t["percentile_rank"])
            row[f"{m}_weight"] = _f(t["weight"])
            row[f"{m}_contribution"] = _f(t["contribution"])
        out.append(row)
    cols = ["manufacturer_id", "station_id"] + (["month"] if by_month else []) + ["interventions", "scored", "score"]
    df = pd.DataFrame(out, columns=cols if not out else None)
    return _floats(df, [c for c in df.columns if c == "score" or c.endswith(("_rank", "_weight", "_contribution"))])


def score_terms(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, manufacturer_id: str,
                by_month: bool = False) -> pd.DataFrame:
    """The terms of :func:`scores` in long form, one row per station[, month] and metric:
    ``manufacturer_id, station_id, [month,] score, metric, value, percentile_rank, ranked_stations,
    weight, contribution``."""
    return terms_frame(score_rows(con, scope, filters, manufacturer_id, by_month), by_month)


def terms_frame(rows: list[dict], by_month: bool = False) -> pd.DataFrame:
    """Scored rows (:func:`score_rows`) as :func:`score_terms` returns them, a row per metric."""
    cols = ["manufacturer_id", "station_id"] + (["month"] if by_month else []) + [
        "score", "metric", "value", "percentile_rank", "ranked_stations", "weight", "contribution"]
    out = []
    for r in rows:
        for t in r["_terms"]:
            out.append({**{c: r[c] for c in cols[: 3 if by_month else 2]}, "score": _f(r["score"]),
                        **t, "percentile_rank": _f(t["percentile_rank"]), "weight": _f(t["weight"]),
                        "contribution": _f(t["contribution"])})
    return _floats(pd.DataFrame(out, columns=cols),
                   ["score", "value", "percentile_rank", "ranked_stations", "weight", "contribution"])


def _floats(df: pd.DataFrame, columns) -> pd.DataFrame:
    for c in columns:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df


def matching_tier(tiers: list[tuple], score: Fraction | None):
    """The first tier ``(tier_no, min, max, adjustment)`` with ``min <= score < max`` (max optional)."""
    if score is None:
        return None
    for tier in tiers:
        _, lo, hi, _ = tier
        if Fraction(lo) <= score and (hi is None or score < Fraction(hi)):
            return tier
    return None


def performance_adjustments(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str | None = None,
                            month: str | None = None, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The bonus/malus of each station's month (``policy-format.md``, performance adjustment).

    One row per (manufacturer, station, month ``YYYY-MM``, currency) with interventions, for
    manufacturers that have ``bonus_tiers`` in some version:
    ``manufacturer_id, station_id, month, score, tier_no, min_score, max_score,
    labor_adjustment, currency, labor_amount`` (summed calculated labour of the
    station's interventions of that manufacturer completed in the month, with a
    policy, a ``Decimal``), ``adjustment_amount`` (``labor_adjustment × labor_amount``
    rounded once to the cent, half away from zero, a ``Decimal``). The tiers are those
    of the version in force on the month's last day. No score, no tier in force or no
    matching tier: tier columns and ``adjustment_amount`` are None. Filtered by the scope.

    ``figures``: :func:`ranking_figures` of ``manufacturer_id`` by month, over a period that holds
    ``month`` whole (``month`` None: over no period), when the caller has read them already; read
    here otherwise.
    """
    cols = ["manufacturer_id", "station_id", "month", "score", "tier_no", "min_score", "max_score",
            "labor_adjustment", "currency", "labor_amount", "adjustment_amount"]
    if manufacturer_id is None:
        if figures is not None:
            raise ValueError("figures are those of one manufacturer: name it")
        manufacturers = [r[0] for r in sql.fetch_all(con, "metrics/manufacturers_with_tiers", scope.params())]
    else:
        scope.require(manufacturer_id=manufacturer_id)
        manufacturers = [manufacturer_id]
    out = []
    for m in manufacturers:
        period = Filters()
        if month is not None:
            period = Filters(date_from=month_bounds(month)[0], date_to=month_bounds(month)[1])
        if figures is not None and month is not None:
            figures = figures[figures["month"] == month].reset_index(drop=True)
        score_of = {(r["station_id"], r["month"]): r["score"]
                    for r in score_rows(con, scope, period, m, by_month=True, figures=figures)}
        labour = sql.fetch_all(con, "metrics/station_month_labor",
                               {"manufacturer_id": m, "month": month, **scope.params()})
        tiers_by_version: dict[dt.date, list] = {}
        for valid_from, *tier in sql.fetch_all(con, "metrics/bonus_tiers_by_version", {"manufacturer_id": m}):
            versions_tiers = tiers_by_version.setdefault(valid_from, [])
            if tier[0] is not None:  # NULL tier: a version without tiers
                versions_tiers.append(tuple(tier))
        tiers = _ByVersion(tiers_by_version, [])
        for _, station, mon, currency, _n, labor_amount in labour:
            score = score_of.get((station, mon))
            tier = matching_tier(tiers.on(month_bounds(mon)[1]), score)
            labor_amount = Decimal(labor_amount)
            row = {"manufacturer_id": m, "station_id": station, "month": mon, "score": _f(score),
                   "tier_no": None, "min_score": None, "max_score": None, "labor_adjustment": None,
                   "currency": currency, "labor_amount": labor_amount, "adjustment_amount": None}
            if tier is not None:
                tier_no, lo, hi, adj = tier
                row.update(tier_no=tier_no, min_score=_f(lo), max_score=_f(hi), labor_adjustment=Decimal(adj),
                           adjustment_amount=(Decimal(adj) * labor_amount).quantize(Decimal("0.01"), ROUND_HALF_UP))
            out.append(row)
    return pd.DataFrame(out, columns=cols)
