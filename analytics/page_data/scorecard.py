"""The Scorecard page's figures beyond :mod:`analytics.metrics.table` / :mod:`analytics.metrics.score`:
which stations a viewer may open, what to fix now (open findings, open disputes), the paid
amounts, and which improvement would raise the score most.

Scope: every function takes the viewer's :class:`~analytics.access.scope.Scope`; SQL applies it with
bound parameters (``queries/scorecard/``); a station scope may ask only for its own station, a
manufacturer scope only for its own brand (:class:`~analytics.access.scope.ScopeError` otherwise).
:func:`score_gains` reads every scored station's figures, but returns only the viewer's station
and anonymous medians over at least :data:`analytics.metrics.table.MIN_PEERS` stations.
"""
from __future__ import annotations

from fractions import Fraction

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.catalog import METRICS_BY_NAME
from analytics.core.filters import Filters
from analytics.metrics.table import MIN_PEERS, metric_columns, metric_table, peer_comparison, query_params
from analytics.metrics import score
from analytics.metrics.score import percentile_ranks, scores
from analytics.page_data import overview
from analytics.access.scope import Scope, ScopeError


def _params(scope: Scope, filters: Filters, station_id: str, manufacturer_id: str) -> dict:
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    return {**query_params(scope, filters), "station_id": station_id, "manufacturer_id": manufacturer_id}


def station_choices(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """``station_id, name, country, manufacturer_id, interventions``: the (station, brand) pairs
    with interventions in the viewer's scope and the filters."""
    return sql.fetch_df(con, "page_data/scorecard/stations", query_params(scope, filters))


def open_findings(con, scope: Scope, filters: Filters, station_id: str, manufacturer_id: str) -> pd.DataFrame:
    """``code, severity, interventions``: blocked/review findings of interventions not ready yet."""
    return sql.fetch_df(con, "page_data/scorecard/open_findings", _params(scope, filters, station_id, manufacturer_id))


def open_disputes(con, scope: Scope, filters: Filters, station_id: str, manufacturer_id: str) -> pd.DataFrame:
    """``reason, currency, disputes, disputed_amount, oldest_opened_on``: unresolved disputes."""
    df = sql.fetch_df(con, "page_data/scorecard/open_disputes", _params(scope, filters, station_id, manufacturer_id))
    df["disputed_amount"] = pd.to_numeric(df["disputed_amount"]).astype("float64")
    return df


def paid_amounts(con, scope: Scope, filters: Filters, station_id: str, manufacturer_id: str) -> pd.DataFrame:
    """``currency, invoices, paid_invoices, paid_amount`` of the invoices issued in the period."""
    df = sql.fetch_df(con, "page_data/scorecard/paid_amounts", _params(scope, filters, station_id, manufacturer_id))
    df["paid_amount"] = pd.to_numeric(df["paid_amount"]).astype("float64")
    return df


def score_gains(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str,
                manufacturer_id: str) -> pd.DataFrame:
    """Which improvement would raise the station's score most.

    For each weighted metric of the score where the station is worse than the median of the
    scored stations (the network of ``manufacturer_id`` in the period, ``metrics.md``), the
    score the station would have with that one metric at that median, every other station
    unchanged: ``metric, value, median, score, score_if, gain`` sorted by ``gain`` (largest
    first). Empty when the station has no score, or when fewer than ``MIN_PEERS`` scored
    stations have a value for a metric (its median is then withheld).
    """
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    # Every scored station's figures (an anonymous aggregate: only medians and this station leave).
    table = scores(con, Scope.manager(), filters.with_(station_ids=(), countries=(), regions=(),
                                                       product_categories=()), manufacturer_id)
    return _gains_in(table, station_id)


def _gains_in(table: pd.DataFrame, station_id: str) -> pd.DataFrame:
    """:func:`score_gains` from every station's :func:`scores` of the period."""
    cols = ["metric", "value", "median", "score", "score_if", "gain"]
    table = table[table["scored"].astype(bool)]
    own = table[table["station_id"] == station_id]
    if own.empty or pd.isna(own["score"].iloc[0]):
        return pd.DataFrame(columns=cols)
    weighted = [c[: -len("_weight")] for c in table.columns if c.endswith("_weight")]
    weights = {m: Fraction(float(own[f"{m}_weight"].iloc[0])) for m in weighted
               if not pd.isna(own[f"{m}_weight"].iloc[0])}
    values = {m: dict(zip(table["station_id"], table[m])) for m in weights}
    ranks = {m: percentile_ranks(values[m], METRICS_BY_NAME[m].better).get(station_id) for m in weights}

    def score_with(rank_of: dict) -> float | None:
        total = sum(w for m, w in weights.items() if rank_of[m] is not None)
        if not total:
            return None
        return float(sum(w * rank_of[m] for m, w in weights.items() if rank_of[m] is not None) / total)

    now = score_with(ranks)
    rows = []
    for m in weights:
        present = pd.Series([v for v in values[m].values() if v is not None and not pd.isna(v)], dtype="float64")
        mine = values[m].get(station_id)
        if len(present) < MIN_PEERS or mine is None or pd.isna(mine):
            continue
        median = float(present.median())
        better = METRICS_BY_NAME[m].better
        if (better == "higher" and mine >= median) or (better == "lower" and mine <= median):
            continue  # already at or better than the median
        changed = percentile_ranks({**values[m], station_id: median}, better)[station_id]
        after = score_with({**ranks, m: changed})
        rows.append({"metric": m, "value": float(mine), "median": median, "score": now, "score_if": after,
                     "gain": after - now})
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


def manufacturers_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """The manufacturers the viewer may see that have interventions, sorted."""
    return [r[0] for r in sql.fetch_all(con, "page_data/scorecard/manufacturers_in_scope", scope.params())]


def league_table(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, manufacturer_id: str) -> pd.DataFrame:
    """The stations of ``manufacturer_id`` in the viewer's scope and the filters, one row each:
    ``rank, station_id, name, country, score, scored``, then every metric of
    :func:`analytics.metrics.table.metric_table` (amounts in euros, then native). ``rank`` orders the
    scored stations by score (1 = best, ties share the best rank); stations without a score last.
    Not for a station scope (a league table names other stations)."""
    if not scope.sees_other_stations:
        raise ScopeError("the league table is not available to a station")
    scope.require(manufacturer_id=manufacturer_id)
    brand = filters.with_(manufacturer_ids=(manufacturer_id,))
    figures = metric_table(con, scope, brand, ["station"])
    names = station_choices(con, scope, brand)[["station_id", "name", "country"]].drop_duplicates("station_id")
    score = scores(con, scope, filters, manufacturer_id)[["station_id", "scored", "score"]]
    out = names.merge(score, on="station_id", how="left").merge(figures, on="station_id", how="inner")
    out["scored"] = out["scored"].fillna(False).astype(bool)
    out.insert(0, "rank", out["score"].rank(ascending=False, method="min").astype("Int64"))
    out = out.sort_values(["rank", "station_id"], na_position="last", kind="stable").reset_index(drop=True)
    return out


def score_rank(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str,
               manufacturer_id: str) -> tuple[int | None, int]:
    """``(rank, scored_stations)``: the station's rank by score among the scored stations of
    ``manufacturer_id`` in the period (1 = best; ties share the best rank; None without a score),
    and how many stations are scored. Only these two numbers leave: no other station's figure."""
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    table = scores(con, Scope.manager(), Filters(date_from=filters.date_from, date_to=filters.date_to),
                   manufacturer_id)
    return _rank_in(table, station_id)


def _rank_in(table: pd.DataFrame, station_id: str) -> tuple[int | None, int]:
    """:func:`score_rank` from every station's :func:`scores` of the period."""
    table = table[table["scored"].astype(bool) & table["score"].notna()]
    own = table[table["station_id"] == station_id]
    if own.empty:
        return None, int(len(table))
    return 1 + int((table["score"] > own["score"].iloc[0]).sum()), int(len(table))


def score_summary(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str,
                  manufacturer_id: str, country: str | None = None) -> dict:
    """What the Scorecard shows of the station's score, from one scoring of the period (the period
    alone shapes it): ``score`` (the station's row of :func:`~analytics.metrics.score.scores`), ``terms``
    (its rows of :func:`~analytics.metrics.score.score_terms`), ``rank`` (:func:`score_rank`) and ``gains``
    (:func:`score_gains`). Same figures as those four functions, which would each score every
    station of the brand again. Only the station's own figures, its rank and anonymous medians leave.
    Also ``total``: :func:`~analytics.metrics.table.metric_table` of the station and brand in the
    viewer's selection, one row (the station's row of the figures scored when they are the same);
    with ``country`` (the station's), ``peers``: :func:`~analytics.metrics.table.peer_comparison`
    among the brand's stations of that country in the selection (from the figures scored when the
    filters choose no region or category: the peers' rows of them).
    """
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    basis = Filters(date_from=filters.date_from, date_to=filters.date_to)
    figures = score.ranking_figures(con, basis, manufacturer_id, False)
    rows = score.score_rows(con, Scope.manager(), basis, manufacturer_id, False, figures)
    table = score.scores_frame(rows)
    own = [r for r in rows if r["station_id"] == station_id]
    out = {"score": score.scores_frame(own), "terms": score.terms_frame(own),
           "rank": _rank_in(table, station_id), "gains": _gains_in(table, station_id),
           "total": _own_figures(con, scope, filters, station_id, manufacturer_id, figures, ())}
    if country is not None:
        out["peers"] = _peers(con, filters, station_id, manufacturer_id, country, figures)
    return out


def _peers(con, filters: Filters, station_id: str, manufacturer_id: str, country: str,
           figures: pd.DataFrame) -> pd.DataFrame:
    """:func:`peer_comparison` ``(filters of the country, station, brand)`` (the caller checked the
    scope), from ``figures`` (:func:`~analytics.metrics.score.ranking_figures` of the same period and
    brand, by station) when the filters choose no region or category, read otherwise."""
    return peer_comparison(con, Scope.manager(), filters.with_(countries=(country,), station_ids=()), station_id,
                           manufacturer_id, figures=figures)


def _own_figures(con, scope: Scope, filters: Filters, station_id: str, manufacturer_id: str,
                 figures: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """:func:`metric_table` ``(scope, filters of the station and brand, by)``, taken from the station's
    rows of ``figures`` (:func:`~analytics.metrics.score.ranking_figures` of the same period and brand,
    by station and ``by``) when they are the same rows: the filters choose no country, region or
    category (the station's own cells are then those of its rows), and the station has a row (an
    empty selection still has its one row when ``by`` is empty). Read from the store otherwise."""
    own = filters.with_(station_ids=(station_id,), manufacturer_ids=(manufacturer_id,))
    mine = figures[figures["station_id"] == station_id]
    if own.countries or own.regions or own.product_categories or mine.empty:
        return metric_table(con, scope, own, by)
    return mine[metric_columns(by)].reset_index(drop=True)


def monthly(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, station_id: str,
            manufacturer_id: str) -> dict:
    """The Scorecard's months of the station and brand in the viewer's selection, from one reading
    of the brand's figures by station and month:

    * ``scores``: :func:`~analytics.metrics.score.scores` by month of the station (each month scored
      among all the brand's stations);
    * ``figures``: :func:`~analytics.metrics.table.metric_table` of the station and brand by month;
    * ``last_month``: the last month the station worked (a month with interventions; a month with
      invoices only is not one) that the data covers whole (the last one worked when none is),
      None without a month;
    * ``tier``: the station's rows of :func:`~analytics.metrics.score.performance_adjustments` for
      ``last_month`` (the bonus/malus tier of that month's score), by month; empty without a month.
    """
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id)
    figures = score.ranking_figures(con, filters, manufacturer_id, True)
    mine = filters.with_(station_ids=(station_id,))
    table = score.scores_frame(score.score_rows(con, scope, mine, manufacturer_id, True, figures), True)
    worked = table.loc[table["interventions"] > 0, "month"] if len(table) else pd.Series(dtype=object)
    whole = worked[~worked.isin(overview.incomplete_months(overview.data_last_day(con, scope), filters))]
    last_month = (whole.max() if len(whole) else worked.max()) if len(worked) else None
    tier = pd.DataFrame()
    if last_month is not None:
        first_day, last_day = score.month_bounds(last_month)
        # the month's scores are those of the period's scoring when the period holds the month whole
        whole_month = ((filters.date_from is None or filters.date_from <= first_day)
                       and (filters.date_to is None or filters.date_to >= last_day))
        tier = score.performance_adjustments(con, scope, manufacturer_id, last_month,
                                             figures=figures if whole_month else None)
        tier = tier[tier["station_id"] == station_id].sort_values("month")
    return {"scores": table, "figures": _own_figures(con, scope, filters, station_id, manufacturer_id, figures,
                                                     ("month",)),
            "last_month": last_month, "tier": tier}
