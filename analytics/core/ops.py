"""The operational database: small, frequent writes by people and systems, next to the store.

The analytics store (DuckDB) is built for reading large tables; one process at a time may write
it. What people and systems write many times a minute from several processes (login attempts,
sessions, API tokens, idempotency keys, invoice numbers…) lives instead in a SQLite database in
WAL mode beside it, ``<store>.ops.sqlite``: every process may write, readers never wait for a
writer, a write costs what it changes, and a committed transaction survives ``kill -9``.

Its schema is a set of named migrations, ``queries/core/ops/<name>.sql``, applied once each in
the order of their names and recorded by name (so packages add theirs without renumbering).
"""
from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterator, Mapping

from analytics.core.config import QUERIES_DIR

OPS_MIGRATIONS_DIR = QUERIES_DIR / "core" / "ops"
#: How long a writer waits for the write transactions in front of it before giving up. Writes here
#: are a few rows each, but on a loaded machine every commit's fsync can take tens of milliseconds
#: and a queue of writers adds them up: a minute means "something is stuck", not "busy".
BUSY_TIMEOUT_MS = 60_000

_migrated: set[str] = set()
_migrated_lock = threading.Lock()


def ops_path(store_path: Path | str) -> Path:
    """The operational database of the store at ``store_path``: ``<store>.ops.sqlite``."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".ops.sqlite")


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                          check_same_thread=False)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")  # a committed write survives a power loss, not only kill -9
    con.execute("PRAGMA foreign_keys = ON")
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return con


def migrate(con: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied (by name); returns their names."""
    con.execute("CREATE TABLE IF NOT EXISTS ops_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for path in sorted(OPS_MIGRATIONS_DIR.glob("*.sql")):
        with transaction(con):
            done = con.execute("SELECT 1 FROM ops_migrations WHERE name = ?", (path.stem,)).fetchone()
            if done:
                continue
            for statement in _statements(path.read_text(encoding="utf-8")):
                con.execute(statement)
            con.execute("INSERT INTO ops_migrations VALUES (?, datetime('now'))", (path.stem,))
        applied.append(path.stem)
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration into statements (migrations hold no ``;`` inside literals or triggers)."""
    return [s.strip() for s in script.split(";") if s.strip() and not all(
        line.strip().startswith("--") or not line.strip() for line in s.strip().splitlines())]


def _up_to_date(con: sqlite3.Connection) -> bool:
    """Whether every migration is recorded (one small read)."""
    try:
        done = con.execute("SELECT count(*) FROM ops_migrations").fetchone()[0]
    except sqlite3.OperationalError:  # no such table
        return False
    return done >= _migration_count()


@functools.cache
def _migration_count() -> int:
    return len(list(OPS_MIGRATIONS_DIR.glob("*.sql")))


@contextlib.contextmanager
def connect(store_path: Path | str) -> Iterator[sqlite3.Connection]:
    """A connection to the operational database of ``store_path`` (created and migrated on first
    use), closed when the block ends. Use :func:`transaction` for changes of several rows."""
    path = ops_path(store_path)
    con = _open(path)
    try:
        key = str(path.resolve())
        if key not in _migrated or not _up_to_date(con):  # a file made anew since (a store replaced)
            with _migrated_lock:
                migrate(con)
                _migrated.add(key)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: takes the write lock at once (no upgrade deadlock between
    two processes that both read first), ``ROLLBACK`` on any exception."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def load(name: str) -> str:
    """Text of ``queries/<name>.sql`` for the operational database (named SQL, ``:param`` bindings)."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def fetch_all(con: sqlite3.Connection, name: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """Run a named query with bound parameters (``:name`` in the SQL) and read every row."""
    return con.execute(load(name), dict(params or {})).fetchall()


def execute(con: sqlite3.Connection, name: str, params: Mapping[str, Any] | None = None) -> sqlite3.Cursor:
    return con.execute(load(name), dict(params or {}))
