"""Ingest by a station or a brand: every row must be within the sender's scope (rule ``scope``).

A network manager may import anything. A station may send only its own interventions, invoices,
documents, invoice lines and disputes; a brand only its own. Checked on the staged rows over
"the store plus the import" (``queries/contract/import/scope/problems.sql``), before anything is
loaded, so a refused row changes nothing. A row that breaks the scope gets only its scope problem:
the other rules' messages on it (an unknown reference, "intervention X was done by station Y")
could say whether a record of someone else exists, and a reference to another's record reads
exactly like a reference to a record that does not exist. An id already used by another's
record is refused as "cannot be used" (an import replaces by key, so it must be refused).
"""
from __future__ import annotations

import duckdb

from analytics.access.scope import Scope
from analytics.core import sql
from analytics.core.problems import Problem
from analytics.contract.importer.reading import staging_name
from analytics.contract.importer.tables import IMPORT_TABLES
from analytics.contract.importer.validate import fill_template

RULE = "scope"
#: The tables a station or a brand may send; every other table is the network manager's.
SENDER_TABLES = ("interventions", "documents", "invoices", "invoice_lines", "disputes")


def who(scope: Scope) -> str:
    return f"station {scope.station_id}" if scope.station_id else f"brand {scope.manufacturer_id}"


def scope_problems(import_con: duckdb.DuckDBPyConnection, scope: Scope, policy_files=()) -> list[Problem]:
    """Every staged row outside ``scope`` (none for a manager). ``import_con`` is the importer's
    connection during an import: it holds the staging tables and the effective views
    (``contract/import/effective``)."""
    if scope.role == "manager":
        return []
    params = {**scope.params(), "who": who(scope)}
    found = []
    for file, row, column, value, message in sql.fetch_all(import_con, "contract/import/scope/problems", params):
        found.append(Problem(file, row, column, value or "", RULE, message))
    for table in IMPORT_TABLES:
        if table in SENDER_TABLES:
            continue
        query = fill_template(sql.load("contract/import/scope/other_tables"), stg=staging_name(table))
        for file, rows in import_con.execute(query).fetchall():
            found.append(Problem(file, None, "", "", RULE, f"{who(scope)} may not send {table} "
                                 f"({rows} row(s)): only the network manager imports this table"))
    for name in policy_files:
        found.append(Problem(name, None, "", "", RULE,
                             f"{who(scope)} may not send a policy file: only the network manager imports policies"))
    return found


def restrict(import_con: duckdb.DuckDBPyConnection, scope: Scope | None, problems: list[Problem],
             policy_files=()) -> list[Problem]:
    """``problems`` with the scope problems added, and any other problem of a row (or file) that
    breaks the scope left out (see the module's docstring)."""
    if scope is None:
        return problems
    outside = scope_problems(import_con, scope, policy_files)
    if not outside:
        return problems
    rows = {(p.file, p.row) for p in outside}
    files = {p.file for p in outside if p.row is None}
    kept = [p for p in problems if (p.file, p.row) not in rows and p.file not in files]
    return outside + kept
