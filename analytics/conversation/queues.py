"""The work queues: what waits for whom, oldest first.

* ``answer``   — findings awaiting the station's answer (the station's turn);
* ``decision`` — findings awaiting the manufacturer's decision (the manufacturer's turn);
* ``disputes`` — disputes not resolved yet, open longest first.

The counters (:func:`queue_counts`) and the lists (:func:`finding_queue`, :func:`open_disputes`)
read the same rows (``queries/fragments/finding_queue.sql``; ``dispute_facts`` with no
``resolved_on``) within the viewer's scope and filters, so each counter opens a list of exactly
that many rows. Lists are cut in SQL to ``limit`` rows (``None``: all, for an export).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from analytics.access.scope import Scope
from analytics.core import sql
from analytics.core.filters import Filters
from analytics.engine import live

#: The queues, in the order they are shown.
QUEUES: tuple[str, ...] = ("answer", "decision", "disputes")


def _params(scope: Scope, filters: Filters) -> dict:
    scope.check_filter(manufacturer_ids=filters.manufacturer_ids, station_ids=filters.station_ids)
    return {**scope.params(), **filters.params()}


def queue_counts(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters = Filters(),
                 path: Path | str | None = None) -> dict[str, int]:
    """``{"answer": n, "decision": n, "disputes": n}``: how many rows each queue holds. With ``path``,
    finding entries not yet published count (:mod:`analytics.engine.live`)."""
    params = _params(scope, filters)

    def read(c: duckdb.DuckDBPyConnection) -> dict[str, int]:
        row = sql.fetch_all(c, "conversation/queue_counts", params)[0]
        return {"answer": int(row[0]), "decision": int(row[1]), "disputes": int(row[2] or 0)}
    return live.counts(con, path, read)


def finding_queue(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters, turn: str,
                  limit: int | None = None, path: Path | str | None = None) -> pd.DataFrame:
    """The findings whose ``turn`` it is (``answer`` or ``decision``), oldest wait first: when the
    wait began (``waiting_since``), the finding (intervention, code, document type, severity,
    explanation), its attribution and, for a decision, the answer to decide on. With ``path``,
    finding entries not yet published count (:mod:`analytics.engine.live`)."""
    if turn not in ("answer", "decision"):
        raise ValueError(f"turn must be 'answer' or 'decision', not {turn!r}")
    params = {**_params(scope, filters), "turn": turn}
    return live.rows(con, path, lambda c, n: sql.fetch_df(c, "conversation/queue_findings", {**params, "limit": n}),
                     limit, ["waiting_since", "intervention_id", "code", "doc_type"])


def open_disputes(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters,
                  limit: int | None = None) -> pd.DataFrame:
    """The disputes not resolved yet, open longest first (opened_on, then dispute id)."""
    return sql.fetch_df(con, "conversation/queue_disputes", {**_params(scope, filters), "limit": limit})
