"""Live reads: what a page shows includes the finding entries written a moment ago.

A finding entry is durable once its journal line is written (:mod:`analytics.engine.journal`);
it reaches the published store when a writer folds the journal, which costs a store write and
an engine refresh. A reader does not wait for that: the reads that an entry changes directly —
an intervention's status and the conversation state of its findings (the engine's ``decisions``
and ``status`` models), hence the work queues and their counters — are computed *as if the
journal were folded*, on the reader's own connection:

* the journal's entries the connection's store does not hold yet are found (:func:`unfolded`);
* for their interventions only, the engine's own ``decisions``, ``status`` and ``finding_queue``
  models run into temporary tables that shadow ``finding_decisions``, ``intervention_status`` and
  ``finding_queue`` on that connection (:func:`as_folded`): the same SQL as the refresh, so the
  same definition;
* a read of one intervention simply runs under that shadow (:func:`one`); a read over the scope
  (a list, a counter) is the stored answer corrected on those interventions (:func:`counts`,
  :func:`rows`): stored − stored-for-them + recomputed-for-them.

Everything else (facts, rollups, the figures) follows at the fold, a few seconds later: they are
shown "as of the last refresh" as before. The temporary tables are dropped after each read, so a
connection is shared with ordinary reads before and after.
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Callable, Iterator, Mapping, TypeVar

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.engine import journal, models
from analytics.engine.journal import Entry

T = TypeVar("T")

#: How many rows of a stored list one intervention's findings can hold at most, so that a list cut
#: at ``limit`` still has ``limit`` rows after the live interventions' stored rows are taken out.
ROWS_PER_INTERVENTION = 64


def unfolded(con: duckdb.DuckDBPyConnection, path: Path | str | None,
             intervention_ids: list[str] | None = None) -> list[Entry]:
    """The journal's entries that the store read through ``con`` does not hold yet (optionally
    only those of ``intervention_ids``). Empty without a ``path`` or a journal."""
    if path is None:
        return []
    lines = journal.journal_entries(path)
    if intervention_ids is not None:
        wanted = set(intervention_ids)
        lines = [e for e in lines if e.intervention_id in wanted]
    if not lines:
        return []
    held = journal.held_by(con, lines)
    return [e for e in lines if e.entry_id not in held]


def _ids(entries: list[Entry]) -> list[str]:
    return sorted({e.intervention_id for e in entries})


@contextlib.contextmanager
def as_folded(con: duckdb.DuckDBPyConnection, entries: list[Entry]) -> Iterator[duckdb.DuckDBPyConnection]:
    """``con`` on which ``finding_decisions``, ``intervention_status`` and ``finding_queue`` hold, for
    the interventions of ``entries`` only, what the engine computes once ``entries`` are folded."""
    try:
        sql.execute(con, "engine/live/interventions", {"intervention_ids": _ids(entries)})
        sql.execute(con, "engine/live/entries", {"entries": [dataclasses.asdict(e) for e in entries]})
        models.run_live(con)
        yield con
    finally:
        sql.run_script(con, "engine/live/drop")


@contextlib.contextmanager
def as_stored(con: duckdb.DuckDBPyConnection, intervention_ids: list[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """``con`` on which ``finding_decisions``, ``intervention_status`` and ``finding_queue`` hold the
    stored rows of ``intervention_ids`` only (the part a live read replaces)."""
    try:
        sql.execute(con, "engine/live/interventions", {"intervention_ids": intervention_ids})
        sql.run_script(con, "engine/live/stored_decisions")
        sql.run_script(con, "engine/live/stored_status")
        sql.run_script(con, "engine/live/stored_finding_queue")
        yield con
    finally:
        sql.run_script(con, "engine/live/drop")


def one(con: duckdb.DuckDBPyConnection, path: Path | str | None, intervention_id: str,
        read: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """``read(con)`` about one intervention, with its unfolded entries counted."""
    entries = unfolded(con, path, [intervention_id])
    if not entries:
        return read(con)
    with as_folded(con, entries):
        return read(con)


def counts(con: duckdb.DuckDBPyConnection, path: Path | str | None,
           read: Callable[[duckdb.DuckDBPyConnection], Mapping[str, int]]) -> dict[str, int]:
    """Counters over the scope with the unfolded entries counted: the stored counts, minus what
    the live interventions contributed, plus what they contribute once folded."""
    stored = dict(read(con))
    entries = unfolded(con, path)
    if not entries:
        return stored
    with as_stored(con, _ids(entries)):
        before = read(con)
    with as_folded(con, entries):
        after = read(con)
    return {k: stored[k] - before[k] + after[k] for k in stored}


def rows(con: duckdb.DuckDBPyConnection, path: Path | str | None,
         read: Callable[[duckdb.DuckDBPyConnection, int | None], pd.DataFrame], limit: int | None,
         order: list[str]) -> pd.DataFrame:
    """A list over the scope (``read(con, limit)``, one row per finding or intervention, with an
    ``intervention_id`` column, sorted by ``order``) with the unfolded entries counted: the live
    interventions' stored rows replaced by their rows once folded, sorted again, cut at ``limit``."""
    entries = unfolded(con, path)
    if not entries:
        return read(con, limit)
    ids = _ids(entries)
    stored = read(con, None if limit is None else limit + ROWS_PER_INTERVENTION * len(ids))
    with as_folded(con, entries):
        folded = read(con, None)
    kept = stored[~stored["intervention_id"].isin(ids)]
    both = pd.concat([kept, folded], ignore_index=True) if len(folded) else kept
    both = both.sort_values(order, kind="stable").reset_index(drop=True)
    for column, dtype in stored.dtypes.items():  # concat widens types (string to object): read as stored
        if both[column].dtype != dtype:
            with contextlib.suppress(TypeError, ValueError):
                both[column] = both[column].astype(dtype)
    return both if limit is None else both.head(limit)
