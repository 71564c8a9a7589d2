"""The operational database: created and migrated on first use, WAL, several writers."""
from __future__ import annotations

import multiprocessing as mp

from analytics.core import ops


def test_created_beside_the_store_in_wal_mode(tmp_path):
    store_path = tmp_path / "s.duckdb"
    with ops.connect(store_path) as con:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        names = {r[0] for r in con.execute("SELECT name FROM ops_migrations")}
    assert ops.ops_path(store_path) == tmp_path / "s.duckdb.ops.sqlite"
    assert ops.ops_path(store_path).exists()
    assert mode == "wal"
    assert names == {p.stem for p in ops.OPS_MIGRATIONS_DIR.glob("*.sql")}


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with ops.connect(tmp_path / "s.duckdb") as con:
        con.execute("CREATE TABLE t (x INTEGER)")
        try:
            with ops.transaction(con):
                con.execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("stop")
        except RuntimeError:
            pass
        assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def _add(store_path, n):
    with ops.connect(store_path) as con:
        for i in range(n):
            with ops.transaction(con):
                (count,) = con.execute("SELECT count(*) FROM t").fetchone()
                con.execute("INSERT INTO t VALUES (?)", (count,))


def test_writers_in_several_processes_lose_nothing(tmp_path):
    store_path = tmp_path / "s.duckdb"
    with ops.connect(store_path) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_add, args=(store_path, 50)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()  # a loaded machine is slow, not wrong: pytest-timeout bounds the test
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with ops.connect(store_path) as con:
        values = sorted(r[0] for r in con.execute("SELECT x FROM t"))
    # each write read the count and wrote it under BEGIN IMMEDIATE: 0..199, none twice
    assert values == list(range(200))
