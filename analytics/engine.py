"""The engine: derived tables computed from the contract tables after each import.

Each model is one ``queries/engine/<name>.sql`` file that (re)creates one derived
table; :data:`MODELS` lists them in dependency order. :func:`refresh` runs them all
inside the writer, before the store is published, so pages only read small,
ready-made tables.
"""
from __future__ import annotations

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
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
