"""Dispute prevention: would verification have prevented the dispute?

A dispute counts as *prevented* when the verification of its intervention carries
a finding whose code equals the dispute's reason. Reasons that are not a rule code
of ``verification.md`` count as ``OTHER`` and are never prevented. Findings are the
ones computed on the store's current data (the store keeps no history of findings):
see ``docs/DECISIONS.md`` "Metrics" for what "before the invoice was issued" means.
"""
from __future__ import annotations

from typing import Sequence

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.core.filters import Filters
from analytics.metrics.table import KEY_COLUMNS, no_value_as_nan, check_keys, query_params
from analytics.access.scope import Scope

#: Grouping keys of :func:`dispute_prevention` and the column each yields.
PREVENTION_KEYS: dict[str, str] = {"reason": "reason", **KEY_COLUMNS}

PREVENTION_COLUMNS = ["disputes", "prevented", "prevented_share", "disputed_amount_eur", "prevented_amount_eur",
                      "prevented_amount_share", "currency", "disputed_amount", "prevented_amount"]


def dispute_prevention(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                       by: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Share of disputes, and of disputed amount, that verification would have prevented.

    Disputes follow their intervention (period by ``completed_on``, its station,
    country, region, category). ``by``: keys among :data:`PREVENTION_KEYS` (None: one
    overall row). Columns: the key columns, then ``disputes, prevented,
    prevented_share, disputed_amount_eur, prevented_amount_eur,
    prevented_amount_share`` (euro amounts at the intervention's completed_on-month
    rate; NaN when a rate is missing), then ``currency, disputed_amount,
    prevented_amount`` (native, when the group has one currency).
    ``reason`` is the rule code or ``OTHER``.
    """
    keys = check_keys(by, allowed=tuple(PREVENTION_KEYS))
    params = {**query_params(scope, filters),
              "g_reason": "reason" in keys, "g_station": "station" in keys,
              "g_manufacturer": "manufacturer" in keys, "g_country": "country" in keys,
              "g_region": "region" in keys, "g_month": "month" in keys,
              "g_category": "product_category" in keys}
    df = sql.fetch_df(con, "metrics/dispute_prevention", params)
    cols = [col for key, col in PREVENTION_KEYS.items() if key in keys] + PREVENTION_COLUMNS
    df = df[cols].reset_index(drop=True)
    df["currency"] = df["currency"].astype(object).where(df["currency"].notna(), None)
    return no_value_as_nan(df, [c for c in PREVENTION_COLUMNS if c not in ("disputes", "prevented", "currency")])


def dispute_details(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                    limit: int | None = None, reason: str | None = None) -> pd.DataFrame:
    """One row per dispute in the selection, newest first (``opened_on`` descending, then by id),
    the first ``limit`` (None: all): ``dispute_id, intervention_id, invoice_id,
    manufacturer_id, station_id, country, region, month, product_category, opened_on, resolved_on,
    outcome, reason_given, reason, disputed_amount, currency, prevented, finding_codes``
    (``reason_given`` as written in the data, ``reason`` the rule code or OTHER); with ``reason``,
    the disputes of that (normalised) reason only."""
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    return sql.fetch_df(con, "metrics/dispute_details",
                        {**query_params(scope, filters), "limit": limit, "reason": reason})


def outcome_counts(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> dict[str, int]:
    """``{outcome: disputes}`` of the selection (``open`` while unresolved); outcomes with none left out."""
    return {o: int(n) for o, n in sql.fetch_all(con, "metrics/dispute_outcomes", query_params(scope, filters))}


def resolution_days(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """``days, disputes``: resolved disputes of the selection per resolution time in days."""
    return sql.fetch_df(con, "metrics/dispute_resolution_days", query_params(scope, filters))
