"""The engine: derived tables computed from the contract tables, refreshed by every writer.

Each model is one ``queries/engine/<name>.sql`` script; :data:`MODELS` lists them in dependency
order. A model reads only the keys of its *scope* (temporary tables ``eng_iv``, ``eng_iv_status``,
``eng_cell``…, docs/ENGINE.md "Incremental refresh"), so one query serves both refreshes:

* the **full** refresh (:func:`refresh`) fills every scope with every key and runs each model as
  written (``CREATE OR REPLACE TABLE t AS <query>``);
* the **incremental** refresh (:func:`refresh_pending`) derives the scopes from the writer's change
  set (:mod:`analytics.engine.changes`) and the derived tables' old rows, and runs each model as
  ``<pre-step>; INSERT INTO t <query>``: the pre-step ``queries/engine/incremental/<name>.sql``
  deletes the rows of the scope (and widens the scopes of the models after it with what this one
  can change); the query inserts their new version.

Both keep the history of findings and statuses (``queries/engine/history.sql``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics.core import sql, store
from analytics.core.config import QUERIES_DIR
from analytics.core.transactions import transaction
from analytics.engine import changes, journal, outlier_bands

#: Derived models, in the order they must be built.
MODELS: list[str] = [
    # policies and verification (verification engineer)
    "comebacks",
    "comeback_nearest",
    "policy_in_force",
    "required_documents",
    "amounts",
    "outlier_groups",
    "findings",
    "decisions",  # the conversation's waivers and documents sent, read by status
    "status",
    # metrics (metrics engineer): facts then rollups, see analytics/metrics.py MODELS
    "facts_interventions",
    "finding_queue",  # the work queues' waiting findings with their attribution, read by the counters
    "facts_disputes",
    "facts_invoices",
    "rollup_intervention_cells",
    "rollup_invoice_cells",
    "rollup_day_hist",
]

#: The models a finding entry changes directly (the conversation's state of each finding, the
#: intervention's status, the findings waiting for someone): what a live read recomputes for the
#: entries not folded yet (:mod:`analytics.engine.live`). The others (facts, rollups) follow at the fold.
ENTRY_MODELS: tuple[str, ...] = ("decisions", "status", "finding_queue")

#: Models whose incremental refresh is a Python step rather than ``<pre-step>; INSERT INTO t <query>``:
#: the outlier thresholds interpolate per fraction, which SQL takes only as a constant.
_INCREMENTAL_STEPS = {"outlier_groups": outlier_bands.refresh_incremental}

#: A change set touching more interventions than this share of the store gets the full refresh
#: (one pass over everything is then cheaper than many key lookups).
FULL_REFRESH_SHARE = 0.25

_TABLE_STATEMENT = re.compile(r"\bCREATE OR REPLACE TABLE (\w+) AS\b")

#: The scope tables (docs/ENGINE.md "Incremental refresh"). An incremental refresh skips a model and
#: its pre-step when every scope either reads is empty (an entry touches no policy, no finding…).
SCOPES = ("eng_iv_row", "eng_iv", "eng_group", "eng_outlier_iv", "eng_iv_status", "eng_dispute", "eng_invoice",
          "eng_cell")
_SCOPE_NAME = re.compile(r"\b(" + "|".join(SCOPES) + r")\b")


@dataclass(frozen=True)
class Refreshed:
    """What a refresh recomputed (counts of its scope tables)."""
    mode: str  # "full" | "incremental"
    interventions: int  # policy in force, documents, amounts, findings
    outlier_interventions: int  # outlier findings
    statuses: int  # decisions, status, intervention facts
    disputes: int
    invoices: int
    cells: int  # (manufacturer, month, station) rollup cells
    #: Wall seconds per step (``changes``, each model run, ``history``), in order: what a benchmark
    #: prints to show where a refresh's time goes.
    seconds: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)


#: Derived tables whose rows depend on the refreshes that kept them, not only on the contract tables:
#: where each outlier band was last cut (analytics/engine/outlier_bands.py). What they determine, the
#: thresholds, equals the full rebuild's; their own invariant is that they count the values exactly.
PATH_DEPENDENT_TABLES = ("outlier_bands", "outlier_band_values")


def derived_tables() -> list[str]:
    """Every table the models build, in build order (what the full refresh replaces)."""
    return [name for model in MODELS for name in _TABLE_STATEMENT.findall(sql.load(f"engine/{model}"))]


def rebuild_equal_tables() -> list[str]:
    """The derived tables an incremental refresh keeps equal, row for row, to a full rebuild."""
    return [name for name in derived_tables() if name not in PATH_DEPENDENT_TABLES]


def refresh(con: duckdb.DuckDBPyConnection) -> Refreshed:
    """Rebuild every derived table from the contract tables (one transaction)."""
    with transaction(con):
        done = _refresh_full(con)
        changes.clear(con)
    return done


def refresh_pending(con: duckdb.DuckDBPyConnection) -> Refreshed:
    """Refresh what the connection's recorded changes can touch (one transaction); the full refresh
    when nothing was recorded, the store's derived tables are missing or were built by another
    engine, or the change is large."""
    incremental = changes.recorded(con) and not changes.everything(con) and is_current(con)
    with transaction(con):
        started = time.perf_counter()
        if incremental:
            give_missing_keys(con)
            sql.run_script(con, "engine/incremental/changes")
            incremental = not _large(con)
        scoped = ("changes", time.perf_counter() - started)
        done = _run_models(con, full=False) if incremental else _refresh_full(con)
        done = dataclasses.replace(done, seconds=(scoped, *done.seconds))
        changes.clear(con)
    return done


def refresh_before_publish(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """What a store writer runs before publishing: the journal's entries written meanwhile are
    folded in (recorded as changes), then what the recorded changes can touch is refreshed. A
    writer whose body recorded nothing (an old caller) gets the full refresh, entries or not."""
    body_recorded = changes.recorded(con)
    journal.fold_journal(con, path)
    if not body_recorded:
        changes.clear(con)
    refresh_pending(con)


def rebuild_before_publish(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A writer's callback that folds the journal and rebuilds everything (``refresh --full``)."""
    journal.fold_journal(con, path)
    refresh(con)


def refresh_after_entries(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh after finding entries were inserted (and recorded) on this connection."""
    refresh_pending(con)


def run_live(con: duckdb.DuckDBPyConnection) -> None:
    """Run :data:`ENTRY_MODELS` into temporary tables of the same names (read connections may hold
    temporary tables): each then shadows the stored table on ``con`` for the interventions of its
    scope ``eng_iv_status`` (a temporary table the caller made). Same SQL as the refresh."""
    for model in ENTRY_MODELS:
        con.execute(_TABLE_STATEMENT.sub(r"CREATE OR REPLACE TEMP TABLE \1 AS", sql.load(f"engine/{model}")))


def full_scope(con: duckdb.DuckDBPyConnection) -> None:
    """Fill every scope table with every key: a model script run after this rebuilds its whole
    table (what :func:`refresh` does; tests and benchmarks run single models this way)."""
    give_missing_keys(con)
    sql.run_script(con, "engine/scope/full")
    _stamp(con)


def _stamp(con: duckdb.DuckDBPyConnection) -> None:
    """The refresh's constants, as temporary tables its scripts read: its time and the outlier bands' width."""
    sql.execute(con, "engine/scope/now", {"at": _now()})
    outlier_bands.set_width(con)


def _now() -> dt.datetime:
    # A replicated store's change carries its own time, so that both replicas stamp the same.
    return store.change_time() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def give_missing_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Give the engine's key (``iv_key``, migration 007) to the interventions, documents and invoice
    lines written without the importer (tests, tools), which gives them when it loads. A refresh finds
    every row by that key."""
    if sql.fetch_all(con, "engine/keys/missing")[0][0]:
        sql.run_script(con, "engine/keys/give")


def _refresh_full(con: duckdb.DuckDBPyConnection) -> Refreshed:
    full_scope(con)
    done = _run_models(con, full=True)
    con.execute("CREATE OR REPLACE TABLE engine_state AS SELECT $fingerprint AS fingerprint",
                {"fingerprint": fingerprint()})
    return done


def _run_models(con: duckdb.DuckDBPyConnection, *, full: bool) -> Refreshed:
    _stamp(con)
    seconds: list[tuple[str, float]] = []
    for model in MODELS:
        started = time.perf_counter()
        if full:
            sql.run_script(con, f"engine/{model}")
        elif all(_empty(con, scope) for scope in _scopes_read(model)):
            continue
        elif model in _INCREMENTAL_STEPS:
            _INCREMENTAL_STEPS[model](con)
        else:
            if _has_pre_step(model):
                sql.run_script(con, f"engine/incremental/{model}")
            con.execute(_TABLE_STATEMENT.sub(r"INSERT INTO \1", sql.load(f"engine/{model}")))
        seconds.append((model, time.perf_counter() - started))
    if full or not all(_empty(con, scope) for scope in ("eng_iv", "eng_outlier_iv", "eng_iv_status")):
        started = time.perf_counter()
        sql.run_script(con, "engine/history")
        seconds.append(("history", time.perf_counter() - started))
    done = Refreshed("full" if full else "incremental", *sql.fetch_all(con, "engine/scope/counts")[0],
                     seconds=tuple(seconds))
    sql.run_script(con, "engine/scope/drop")
    return done


@functools.cache
def _has_pre_step(model: str) -> bool:
    return (QUERIES_DIR / "engine" / "incremental" / f"{model}.sql").exists()


@functools.cache
def _scopes_read(model: str) -> tuple[str, ...]:
    """The scope tables a model's pre-step and query name (fixed text: read once)."""
    text = sql.load(f"engine/{model}") + (sql.load(f"engine/incremental/{model}") if _has_pre_step(model) else "")
    return tuple(sorted(set(_SCOPE_NAME.findall(sql.without_comments(text)))))


def _empty(con: duckdb.DuckDBPyConnection, scope: str) -> bool:
    if scope not in SCOPES:  # an identifier in SQL text: only from the fixed list
        raise ValueError(f"unknown engine scope {scope!r}")
    return not con.execute(f"SELECT 1 FROM temp.{scope} LIMIT 1").fetchall()


def _large(con: duckdb.DuckDBPyConnection) -> bool:
    touched, total = sql.fetch_all(con, "engine/scope/size")[0]
    return touched > FULL_REFRESH_SHARE * max(total, 1)


@functools.cache  # the model files do not change while a process runs; asked on every page view
def fingerprint() -> str:
    """Identity of the engine's definitions: the text of every model, in order, and DuckDB's version
    (the derived tables keep values of its ``hash()``: ``unit_key``, ``cell_key``, the outlier groups'
    ``group_key``, which another version may compute differently: a new version rebuilds them)."""
    digest = hashlib.sha256(b"duckdb " + duckdb.__version__.encode() + b"\0")
    for model in MODELS + ["history"]:
        digest.update(model.encode() + b"\0" + sql.load(f"engine/{model}").encode() + b"\0")
    return digest.hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's derived tables were built by this version of the engine."""
    # Asked without a failing statement: inside a writer's transaction (the replicated layout runs
    # each change in one) a caught error would still abort the whole change.
    if not sql.fetch_all(con, "engine/state/exists")[0][0]:
        return False
    rows = con.execute("SELECT fingerprint FROM engine_state").fetchall()
    return bool(rows) and rows[0][0] == fingerprint()
