"""analytics.core.transactions: all or nothing, and whether a caller already holds a transaction."""
from __future__ import annotations

import duckdb
import pytest

from analytics.core.transactions import in_transaction, transaction


def test_a_transaction_commits_or_leaves_nothing():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    with transaction(con):
        con.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError):
        with transaction(con):
            con.execute("INSERT INTO t VALUES (2)")
            raise ValueError("stop")
    assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_in_transaction_tells_a_callers_transaction_and_leaves_it_open():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    assert not in_transaction(con)
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO t VALUES (1)")
    assert in_transaction(con)
    con.execute("ROLLBACK")  # the caller's transaction was still open: its insert is undone
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
    assert not in_transaction(con)
