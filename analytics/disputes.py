"""Dispute prevention (issue 4, part 4): would verification have prevented the dispute?

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

from .filters import Filters
from .scope import Scope

#: Grouping keys of :func:`dispute_prevention` and the column each yields.
PREVENTION_KEYS: dict[str, str] = {
    "reason": "reason",
    "station": "station_id",
    "manufacturer": "manufacturer_id",
    "country": "country",
    "region": "region",
    "month": "month",
    "product_category": "product_category",
}


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
    raise NotImplementedError


def dispute_details(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters) -> pd.DataFrame:
    """One row per dispute in the selection: ``dispute_id, intervention_id, invoice_id,
    manufacturer_id, station_id, reason, disputed_amount, currency, prevented, finding_codes``."""
    raise NotImplementedError
