"""One transaction helper, so every multi-statement change is all or nothing the same way."""
from __future__ import annotations

import contextlib
from typing import Iterator

import duckdb


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` is inside an explicit transaction (``BEGIN`` … not yet committed).

    Asked without trying a ``BEGIN`` (which would abort the caller's transaction): outside one,
    every statement is its own transaction and gets a new id; inside, both statements share it.
    """
    first = con.execute("SELECT txid_current()").fetchall()[0][0]
    return con.execute("SELECT txid_current()").fetchall()[0][0] == first


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``BEGIN`` … ``COMMIT`` around the body; ``ROLLBACK`` and re-raise on any exception.

    Inside a caller's transaction (a replicated store's writer runs each change in one), the
    body simply joins it: the caller commits or rolls back the whole."""
    if in_transaction(con):
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")

