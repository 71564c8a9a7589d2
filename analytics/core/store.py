"""The store: one DuckDB file, many readers, one writer at a time, atomic publishing.

DuckDB lets one process open a file read-write *or* several open it read-only.
Clairvoie therefore never writes the published store in place:

* **Readers** (dashboard, CLI reports) open the published file read-only and keep
  that connection while the file is unchanged. Each view asks :func:`reader`,
  which compares the file's identity (inode, mtime, size) with the cached one and
  reopens on change, so a finished import shows at the next page view.
* **Writers** (:func:`writer`) take an exclusive ``flock`` on ``<store>.lock``,
  copy the store to ``<store>.write-<pid>.tmp``, work on the copy in one
  transaction, run the caller's ``before_publish`` (the engine's refresh), checkpoint, fsync, and then
  ``os.replace`` the copy over the store. The rename is atomic: a reader sees the
  old file or the new one, never a half-written one. A writer killed at any
  instant (even ``kill -9``) leaves only a stale temp file, which the next writer
  removes; the lock dies with its process.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from analytics.core import sql
from analytics.core.config import QUERIES_DIR

MIGRATIONS_DIR = QUERIES_DIR / "core" / "migrations"


class StoreError(Exception):
    """A problem with the store a user can act on (message is user-facing)."""


class StoreBusy(StoreError):
    """Another writer holds the store's lock."""


class StoreMissing(StoreError):
    """No store file at the given path."""


# ---------------------------------------------------------------- schema / migrations

def migrations() -> list[tuple[int, str]]:
    """``(version, query name)`` of every migration, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), f"core/migrations/{path.stem}"))
    return found


LATEST_SCHEMA_VERSION = max(v for v, _ in migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    return int(row or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring a read-write store up to the latest schema; returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    current = schema_version(con)
    applied = []
    for version, name in migrations():
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            sql.run_script(con, name)
            con.execute("INSERT INTO schema_version VALUES ($v, now())", {"v": version})
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


# ---------------------------------------------------------------- readers

@dataclass(frozen=True)
class StoreVersion:
    """Identity of the published file; changes whenever a writer publishes."""

    inode: int
    mtime_ns: int
    size: int

    @property
    def token(self) -> str:
        """A short string usable as a cache key (``st.cache_data`` argument)."""
        return f"{self.inode}-{self.mtime_ns}-{self.size}"


def version_of(path: Path | str) -> StoreVersion | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return StoreVersion(st.st_ino, st.st_mtime_ns, st.st_size)


_readers: dict[str, tuple[StoreVersion, duckdb.DuckDBPyConnection]] = {}
_readers_lock = threading.Lock()


def reader(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the published store, reopened when a writer has published.

    Returns a fresh cursor (safe to use from one thread) on a shared connection.
    """
    key = str(Path(path).resolve())
    with _readers_lock:
        current = version_of(key)
        if current is None:
            raise StoreMissing(f"no store at {path}: run `python -m analytics demo` or import data first")
        cached = _readers.get(key)
        if cached is None or cached[0] != current:
            con = _open_read_only(key)
            # The file may have been replaced between stat() and connect(): read the
            # identity again after opening so the cache never pairs old data and new key.
            _readers[key] = (version_of(key) or current, con)
            # The previous connection is dropped, not closed: a page view on another
            # thread may still be reading from it; it closes when collected.
        cursor = _readers[key][1].cursor()
    cursor.execute("USE store")
    return cursor


def _open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    # DuckDB caches database instances by path inside a process, so a plain
    # connect(path) after a publish would hand back the old file. An in-memory
    # instance that ATTACHes the file read-only always opens the current one.
    con = duckdb.connect(":memory:")
    con.execute("ATTACH $path AS store (READ_ONLY)", {"path": path})
    con.execute("USE store")
    return con


def close_readers() -> None:
    """Close every cached reader (tests, shutdown)."""
    with _readers_lock:
        for _, con in _readers.values():
            with contextlib.suppress(Exception):
                con.close()
        _readers.clear()


# ---------------------------------------------------------------- writers

def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _temp_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.write-{os.getpid()}-{threading.get_ident()}.tmp")


def _remove_stale_temps(path: Path) -> None:
    """Remove temp copies left by writers that died (we hold the lock, so none is live)."""
    for stale in path.parent.glob(f"{path.name}.write-*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


@contextlib.contextmanager
def _exclusive_lock(path: Path, wait: bool, timeout: float | None, on_wait: Callable[[str], None] | None):
    lp = lock_path(path)
    lp.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                holder = _lock_holder(fd)
                message = (
                    f"the store {path} is being updated by another import{holder}; "
                )
                if not wait or (deadline is not None and time.monotonic() >= deadline):
                    raise StoreBusy(message + "nothing was changed, try again when it has finished") from None
                if on_wait and not told:
                    on_wait(message + "waiting for it to finish…")
                    told = True
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _lock_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if text:
            return f" ({text})"
    return ""


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: What a writer runs on its connection before publishing: ``(connection, published path)``.
BeforePublish = Callable[[duckdb.DuckDBPyConnection, Path], None]


@contextlib.contextmanager
def writer(
    path: Path | str,
    *,
    wait: bool = True,
    timeout: float | None = None,
    create: bool = True,
    before_publish: BeforePublish | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a private copy of the store, published on success.

    The body's changes land only if it returns normally; any exception (or a
    killed process) leaves the published store exactly as it was. ``before_publish``
    runs on the connection after the body (the engine passes its refresh here, so the
    store never needs to know the engine).
    """
    path = Path(path)
    with _exclusive_lock(path, wait, timeout, on_wait):
        _remove_stale_temps(path)
        tmp = _temp_path(path)
        if path.exists():
            shutil.copyfile(path, tmp)
        elif not create:
            raise StoreMissing(f"no store at {path}")
        con = duckdb.connect(str(tmp))
        published = False
        try:
            migrate(con)
            yield con
            if before_publish is not None:
                before_publish(con, path)
            con.execute("CHECKPOINT")
            con.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            fsync_dir(path.parent)
            published = True
        finally:
            with contextlib.suppress(Exception):
                con.close()
            if not published:
                for leftover in path.parent.glob(tmp.name + "*"):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()


def ensure_store(path: Path | str) -> None:
    """Create an empty, migrated store if none exists (no data)."""
    path = Path(path)
    if path.exists():
        return
    with writer(path):
        pass
