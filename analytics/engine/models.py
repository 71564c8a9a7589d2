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

from analytics.core import sql
from analytics.core.transactions import transaction
from analytics.engine import journal

#: Derived models, in the order they must be built.
MODELS: list[str] = [
    # policies and verification (verification engineer)
    "policy_in_force",
    "required_documents",
    "comebacks",
    "amounts",
    "findings",
    "decisions",  # the conversation's waivers and documents sent, read by status
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
    with transaction(con):
        for model in MODELS:
            sql.run_script(con, f"engine/{model}")
        con.execute("CREATE OR REPLACE TABLE engine_state AS SELECT $fingerprint AS fingerprint",
                    {"fingerprint": fingerprint()})


def refresh_before_publish(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """What a store writer runs before publishing: the journal's entries written meanwhile
    are folded in, then every model is rebuilt."""
    journal.fold_journal(con, path)
    refresh(con)


def refresh_after_entries(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild only the models that depend on ``finding_entries``: ``decisions`` and every model
    after it (status, facts, rollups). The contract tables did not change, so the models before it
    (policy in force … findings) are current; a store that lacks them gets the full refresh."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not {"findings", "finding_decisions", "intervention_status"} <= tables:
        refresh(con)
        return
    with transaction(con):
        for model in MODELS[MODELS.index("decisions"):]:
            sql.run_script(con, f"engine/{model}")


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
