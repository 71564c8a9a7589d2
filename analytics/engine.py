"""The engine: derived tables computed from the contract tables after each import.

Each model is one ``queries/engine/<name>.sql`` file that (re)creates one derived
table; :data:`MODELS` lists them in dependency order. :func:`refresh` runs them all
inside the writer, before the store is published, so pages only read small,
ready-made tables.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import duckdb

from . import sql

#: Derived models, in the order they must be built.
MODELS: list[str] = [
    # policies and verification (verification engineer)
    "policy_in_force",
    "required_documents",
    "comebacks",
    "amounts",
    "findings",
    "decisions",  # issue 7: conversation decisions (waivers), read by status
    "status",
    # metrics (metrics engineer): facts then rollups, see analytics/metrics.py MODELS
    "facts_interventions",
    "facts_disputes",
    "facts_invoices",
    "rollup_intervention_cells",
    "rollup_invoice_cells",
    "rollup_day_hist",
]


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every derived table from the contract tables (one transaction)."""
    from .conversation import fold_journal  # late import: conversation depends on the store

    fold_journal(con)  # finding entries written while a writer held the lock (issue 7)
    con.execute("BEGIN TRANSACTION")
    try:
        for model in MODELS:
            sql.run_script(con, f"engine/{model}")
        con.execute("CREATE OR REPLACE TABLE engine_state AS SELECT $fingerprint AS fingerprint",
                    {"fingerprint": fingerprint()})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


@functools.cache  # the model files do not change while a process runs; asked on every page view
def fingerprint() -> str:
    """Identity of the engine's definitions: the text of every model, in order."""
    digest = hashlib.sha256()
    for model in MODELS:
        digest.update(model.encode() + b"\0" + sql.load(f"engine/{model}").encode() + b"\0")
    return digest.hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's derived tables were built by this version of the engine."""
    try:
        rows = con.execute("SELECT fingerprint FROM engine_state").fetchall()
    except duckdb.CatalogException:
        return False
    return bool(rows) and rows[0][0] == fingerprint()


def ensure_current(path: Path | str) -> bool:
    """Rebuild the derived tables of the published store when the engine has changed since
    they were built (a new release reads a store built by an older one). Returns whether it
    rebuilt. Goes through the writer, so readers keep serving the old tables meanwhile."""
    from . import store

    if store.version_of(path) is None or is_current(store.reader(path)):
        return False
    with store.writer(path, create=False) as con:
        if is_current(con):  # another process rebuilt it while we waited for the lock
            return False
    return True
