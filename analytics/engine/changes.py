"""Change sets: what a writer changed, so that the engine refreshes only what it can touch.

A writer's connection records its changes in the temporary table ``engine_changes(kind, key)``
(temporary: it belongs to the connection and is never published). The engine's refresh reads it
(:func:`analytics.engine.models.refresh_pending`) and empties it. Kinds and their keys:

============  ===========================  =================================================
kind          key                          recorded for
============  ===========================  =================================================
intervention  intervention_id              a new or replaced intervention row
document      intervention_id              a new or replaced document row
line          intervention_id              a new or replaced invoice line (its new *and* old
                                           intervention: a replaced line may move)
invoice       invoice_id                   a new or replaced invoice row
dispute       dispute_id                   a new or replaced dispute row
station       station_id                   a new or replaced station row
policy        manufacturer_id              a manufacturer's policy file stored
fx            currency|YYYY-MM             a new or replaced fx_rates row
entry         intervention_id              a finding entry added (the conversation)
============  ===========================  =================================================

A connection on which nothing was recorded (no ``engine_changes`` table: an old caller, a new
store, an engine upgrade) gets a full refresh.
"""
from __future__ import annotations

import re
from typing import Iterable

import duckdb

from analytics.core import sql

KINDS = ("intervention", "document", "line", "invoice", "dispute", "station", "policy", "fx", "entry")

#: Contract tables whose staged rows :func:`record_staged` knows how to read.
STAGED_TABLES = ("manufacturers", "stations", "interventions", "documents", "invoices", "invoice_lines",
                 "disputes", "fx_rates", "finding_entries")

#: Contract tables no engine model reads (names, the invoice parties' identifiers): loading them
#: changes no derived table.
UNREAD_TABLES = ("manufacturers", "station_legal", "manufacturer_legal", "billing_entities")

_STAGING_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def start(con: duckdb.DuckDBPyConnection) -> None:
    """Open the change set of this connection (empty): from now on its refresh is incremental."""
    sql.run_script(con, "engine/changes/create")


def record(con: duckdb.DuckDBPyConnection, kind: str, keys: Iterable[str]) -> None:
    """Record that the rows of ``kind`` with these ``keys`` changed (see the table above)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r}; expected one of {', '.join(KINDS)}")
    start(con)
    keys = sorted({str(k) for k in keys})
    if keys:
        sql.execute(con, "engine/changes/record", {"kind": kind, "keys": keys})


def record_staged(con: duckdb.DuckDBPyConnection, table: str, staging: str) -> None:
    """Record the changes that loading the staged rows of ``table`` (the importer's staging table
    ``staging``, every column text) is about to make; call it *before* loading, so that rows about
    to be replaced are read too (an invoice line moved to another intervention touches both)."""
    if table not in STAGED_TABLES + UNREAD_TABLES:
        raise ValueError(f"no change rule for table {table!r}")
    if not _STAGING_RE.match(staging):
        raise ValueError(f"invalid staging table name {staging!r}")
    start(con)
    if table in UNREAD_TABLES:
        return  # no derived table reads them
    # The staging table's name is an identifier from the importer's whitelist, never a value.
    con.execute(sql.load(f"engine/changes/{table}").replace("@stg@", staging))


def recorded(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection records its changes (else its refresh must be full)."""
    return bool(sql.fetch_all(con, "engine/changes/exists"))


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the recorded changes (a refresh took them into account): the connection's next
    refresh is incremental only if its writer records again."""
    sql.run_script(con, "engine/changes/clear")
