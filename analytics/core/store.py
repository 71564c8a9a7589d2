"""The store: one DuckDB file, many readers, writers one at a time, atomic publishing.

DuckDB lets one process open a file read-write *or* several open it read-only.
Clairvoie therefore never writes the file readers are reading. Two layouts:

* **Copy** (a plain file at ``<store>``): a writer (:func:`writer`) takes an exclusive
  ``flock`` on ``<store>.lock``, copies the store to ``<store>.write-<pid>.tmp``, works on the
  copy, runs the caller's ``before_publish`` (the engine's refresh), checkpoints, fsyncs and
  ``os.replace``s the copy over the store. Simple, but every write copies the whole file.
* **Replicated** (``<store>`` is a symbolic link to ``<store>.r0`` or ``<store>.r1``): the link
  names the published replica; a writer applies its change *in place* to the other one, which no
  reader holds (DuckDB's own file locks refuse a read-write open while a reader in any process has
  it open, so the writer waits for that reader's last query, never the reverse), logs the change in
  the operational database (:mod:`analytics.core.ops`, ``store_changes``), commits, checkpoints and
  re-points the link (atomic rename). The replica left behind replays the logged changes before
  the next write lands on it (:func:`register_change` names how a kind of change is replayed; a
  change without a replay — an arbitrary :func:`writer` body — makes it copy the published
  replica instead). A write then costs what it changes, twice (once per replica), and never a
  copy of the store.

The replicated layout is the default (``CLAIRVOIE_STORE_LAYOUT=replicas``): a new store (the first
write to a missing path, the demo build, :func:`install`, :func:`copy`) is made replicated by
renames, its second replica copied at its first write; a plain store is converted at its first
write. ``CLAIRVOIE_STORE_LAYOUT=copy`` keeps plain stores plain and makes new ones plain.

Either way a reader sees the old store or the new one, never a half-written one; readers
(:func:`reader`) open the published file read-only and are reopened when it changes, so a
write shows at the next page view; a writer killed at any instant (``kill -9``) leaves the
published store as it was, and what was acknowledged stays.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from analytics.core import ops, sql
from analytics.core.config import QUERIES_DIR
from analytics.core.transactions import in_transaction, transaction

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
        with transaction(con):
            sql.run_script(con, name)
            con.execute("INSERT INTO schema_version VALUES ($v, now())", {"v": version})
        applied.append(version)
    return applied


# ---------------------------------------------------------------- readers

@dataclass(frozen=True)
class StoreVersion:
    """Identity of the published file; changes whenever a writer publishes."""

    inode: int
    mtime_ns: int
    size: int
    #: inode of the link naming the published replica (a new link at each publish), 0 for a plain file
    pointer: int = 0

    @property
    def token(self) -> str:
        """A short string usable as a cache key (``st.cache_data`` argument)."""
        return f"{self.pointer}-{self.inode}-{self.mtime_ns}-{self.size}"


def version_of(path: Path | str) -> StoreVersion | None:
    try:
        link = os.lstat(path)
        st = os.stat(path) if _is_link(link) else link
    except FileNotFoundError:
        return None
    return StoreVersion(st.st_ino, st.st_mtime_ns, st.st_size, link.st_ino if _is_link(link) else 0)


def _is_link(st: os.stat_result) -> bool:
    return (st.st_mode & 0o170000) == 0o120000


class _Reader:
    """A cached read-only connection and the cursors handed out on it (weakly: a cursor lives as
    long as the page that reads with it, and keeps the file open that long)."""

    def __init__(self, version: StoreVersion, con: duckdb.DuckDBPyConnection, file: str = ""):
        self.version, self.con, self.file = version, con, file
        self.cursors: weakref.WeakSet = weakref.WeakSet()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self.con.cursor()
        self.cursors.add(cursor)
        return cursor

    def close(self) -> None:
        for cursor in list(self.cursors):
            with contextlib.suppress(Exception):
                cursor.close()
        with contextlib.suppress(Exception):
            self.con.close()


_readers: dict[str, _Reader] = {}
_readers_lock = threading.Lock()
#: How often every process drops its cached reader of a replica that is no longer published, so
#: that an idle process (a dashboard nobody looks at) does not keep a writer waiting for it, and opens
#: the newly published one in its place (:func:`_reopen`).
STALE_READER_SECONDS = 0.05
_watcher: threading.Thread | None = None


def reader(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the published store, reopened when a writer has published.

    Returns a fresh cursor (safe to use from one thread) on a shared connection. Never waits
    for a writer: a replica a writer has just taken is refused by DuckDB's lock, and the link
    then already names the newer one, which is opened instead.
    """
    key = os.path.abspath(path)
    _start_watcher()
    with _readers_lock:
        for attempt in range(50):
            current = version_of(key)
            if current is None:
                raise StoreMissing(f"no store at {path}: run `python -m analytics demo` or import data first")
            cached = _readers.get(key)
            if cached is not None and cached.version == current:
                break
            file = os.path.realpath(key)
            try:
                con = _open_read_only(file)
            except duckdb.Error as exc:
                if current.pointer and _held_elsewhere(exc) and attempt < 49:
                    continue  # a writer took that replica after the link moved on: read the link again
                raise
            # The file may have been replaced between stat() and connect(): open again rather
            # than pair old data with the new identity.
            if version_of(key) != current:
                continue
            if cached is not None:
                _retired.append(cached)
            _readers[key] = _Reader(current, con, file)
            # The previous connection is retired, not closed: a page view on another thread may
            # still be reading from it; it closes when its cursors are collected.
        cursor = _readers[key].cursor()
    cursor.execute("USE store")
    return cursor


#: Readers of a replica no longer published, dropped from the cache but perhaps still read by a
#: page that opened them: kept only until their last cursor is gone.
_retired: list[_Reader] = []


def _drop_stale_readers() -> list[str]:
    """Retire cached readers of a file that is no longer the published one; returns their stores."""
    dropped = []
    with _readers_lock:
        for key, cached in list(_readers.items()):
            if version_of(key) != cached.version:
                del _readers[key]
                _retired.append(cached)
                dropped.append(key)
        for old in [r for r in _retired if not r.cursors]:
            old.close()  # nobody reads it any more: release the file now
            _retired.remove(old)
    return dropped


def _reopen(keys: list[str]) -> None:
    """Open the newly published version of stores this process was reading, before a page asks: opening
    a large store costs tens of milliseconds (44-82 ms at 10M), which the first read after each publish
    would otherwise pay (docs/PERFORMANCE.md "Writes at 10M and 1M"). Only the published file is opened,
    which no writer needs."""
    for key in keys:
        with contextlib.suppress(Exception):  # a store gone or a writer's race: the next read opens it
            reader(key).close()


def _still_read_here(replica: Path) -> bool:
    """Whether a page of this process still reads ``replica`` (a retired reader with live cursors)."""
    _drop_stale_readers()
    target = os.path.realpath(replica)
    with _readers_lock:
        return any(r.file == target for r in _retired)


def _close_retired_readers() -> None:
    """Close this process's readers of unpublished replicas, even those still being read (their
    cursors then fail). Done only when this process would otherwise block a writer: it waits for
    the writer lock (whose holder may need that replica) or itself needs the replica."""
    _drop_stale_readers()
    with _readers_lock:
        for old in _retired:
            old.close()
        _retired.clear()


def _start_watcher() -> None:
    global _watcher
    if _watcher is not None and _watcher.is_alive():
        return

    def watch() -> None:
        while True:
            time.sleep(STALE_READER_SECONDS)
            with contextlib.suppress(Exception):
                _reopen(_drop_stale_readers())

    _watcher = threading.Thread(target=watch, name="clairvoie-stale-readers", daemon=True)
    _watcher.start()


def _held_elsewhere(exc: Exception) -> bool:
    """Whether DuckDB refused to open a file because another connection holds it."""
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text or "already attached" in text \
        or "Unique file handle conflict" in text


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
        for cached in [*_readers.values(), *_retired]:
            cached.close()
        _readers.clear()
        _retired.clear()


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
                if path.is_symlink():  # the holder may need the replica this process still reads
                    _close_retired_readers()
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
    layout: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a private copy of the store (copy layout) or on the replica
    nobody reads (replicated layout, one transaction), published on success.

    The body's changes land only if it returns normally; any exception (or a
    killed process) leaves the published store exactly as it was. ``before_publish``
    runs on the connection after the body (the engine passes its refresh here, so the
    store never needs to know the engine). ``layout``: that of a plain store or of a new one once
    published (:func:`layout_wanted` by default; ``"copy"`` for a file built to be
    installed elsewhere by :func:`install`).
    """
    path = Path(path)
    if not path.is_symlink():
        with contextlib.ExitStack() as held:
            held.enter_context(_exclusive_lock(path, wait, timeout, on_wait))
            if not path.is_symlink():  # else another writer replicated it while this one waited
                yield from _copy_writer(path, create, before_publish, layout or layout_wanted())
                return
    with _replica_writer(path, wait=wait, timeout=timeout, on_wait=on_wait) as target:
        yield target.con
        if before_publish is not None:
            before_publish(target.con, path)
        target.publish(SNAPSHOT, None)


def _copy_writer(path: Path, create: bool, before_publish: BeforePublish | None,
                 layout: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The body of :func:`writer` on a plain store (or none), under the lock: a private copy,
    published by :func:`_install` (as a plain file, or as the first replica of a replicated store)."""
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
        con.close()
        _install(path, tmp, layout)
        published = True
    finally:
        with contextlib.suppress(Exception):
            con.close()
        if not published:
            for leftover in path.parent.glob(tmp.name + "*"):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def install(path: Path | str, built: Path | str) -> None:
    """Replace the store at ``path`` (if any) by the complete store file ``built`` (made elsewhere
    in the same folder or file system, nobody else holding it), atomically: readers see the old store
    or the new one. By renames only, never a copy: in the replicated layout ``built`` becomes the
    published replica of a new epoch (see :func:`_install`). Waits for the writer in front."""
    path = Path(os.path.abspath(path))
    with _exclusive_lock(path, True, None, None):
        _install(path, Path(built), layout_wanted())


def copy(source: Path | str, target: Path | str) -> None:
    """A new store at ``target`` (none there yet) holding what the store at ``source`` publishes, laid
    out as a new store is (:func:`layout_wanted`); its operational database is not copied (sessions,
    tokens and locks belong to the source). A backup, or a test's private store."""
    source, target = Path(source), Path(os.path.abspath(target))
    if version_of(source) is None:
        raise StoreMissing(f"no store at {source}")
    with _exclusive_lock(target, True, None, None):
        if target.exists() or target.is_symlink():
            raise StoreError(f"there is already a store at {target}")
        tmp = _temp_path(target)
        try:
            # Under the source's writer lock: no writer re-writes the published replica meanwhile.
            with _exclusive_lock(source, True, None, None):
                shutil.copyfile(source, tmp)  # follows the link: the published replica
            _install(target, tmp, layout_wanted())
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _install(path: Path, built: Path, layout: str) -> None:
    """:func:`install` under the writer lock. ``built`` is migrated and checkpointed; then

    * copy layout (a plain store or none at ``path``, and ``layout`` is ``"copy"``): fsync,
      ``os.replace`` over ``path``, fsync of the folder;
    * replicated layout (``layout`` is ``"replicas"``, or ``path`` is already replicated): ``built``
      is stamped as replica of a new epoch at seq 0, renamed to the replica the link does not name
      (``.r0`` for a new store), the epoch recorded in the operational database, then the link made
      to name it; the other replica, a copy of the old store, is removed (the next write copies the
      new one there).

    Killed before the link names it, the old store is still the published one (a next write may land
    on the new one when the epoch was already recorded: it is then published whole, never half)."""
    replicated = path.is_symlink() or layout == "replicas"
    epoch = uuid.uuid4().hex
    _seal(built, epoch if replicated else None)
    if not replicated:
        os.replace(built, path)
        fsync_dir(path.parent)
        return
    published = published_replica(path) if path.is_symlink() else None
    target = next(r for r in replica_paths(path) if r != published)
    for extra in (target.with_name(target.name + ".wal"), target.with_name(target.name + ".tmp")):
        with contextlib.suppress(FileNotFoundError):
            extra.unlink()
    os.replace(built, target)
    fsync_dir(path.parent)
    with ops.connect(path) as oc, ops.transaction(oc):
        ops.execute(oc, "core/store_changes/set_layout", {"epoch": epoch, "published_seq": 0})
    _point(path, target)
    for other in replica_paths(path):
        if other != target:
            for extra in (other, other.with_name(other.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    extra.unlink()


def ensure_store(path: Path | str) -> None:
    """Create an empty, migrated store if none exists (no data)."""
    path = Path(path)
    if path.exists():
        return
    with writer(path):
        pass


# ---------------------------------------------------------------- replicated layout

#: ``CLAIRVOIE_STORE_LAYOUT``: ``replicas`` (the default) makes every new store replicated and
#: converts a plain one at its first write; ``copy`` keeps a plain store plain and makes new stores
#: plain (every write then copies the whole file). A store already replicated stays so.
LAYOUT_ENV = "CLAIRVOIE_STORE_LAYOUT"
DEFAULT_LAYOUT = "replicas"
REPLICA_SUFFIXES = (".r0", ".r1")
#: The kind logged for a change that cannot be replayed (an arbitrary :func:`writer` body).
SNAPSHOT = "snapshot"
#: How long a writer waits, at most, for readers to leave the replica it must write.
READER_GRACE_SECONDS = 120.0
#: How long a write that has just published waits for readers to leave the replica it left
#: behind, to replay itself there at once (readers of other processes move on within
#: STALE_READER_SECONDS or at their next view); else the next write replays it first.
CATCH_UP_GRACE_SECONDS = 1.0

#: ``apply(con, payload, path, live, **options) -> (result, logged payload)``.
Apply = Callable[..., tuple[object, object]]


@dataclass(frozen=True)
class Change:
    """A kind of change that can be logged and replayed: ``apply`` runs it on a writer's
    connection (``live`` True the first time, False when a replica replays the logged payload) and
    returns ``(result, payload to log)``; ``forget(payload)`` removes what the payload names
    (files) once every replica holds the change.

    ``begins``: the change's first application begins the replica's transaction itself, right
    before its first write, and leaves it open (:func:`transaction_left_open` is then true): what it
    runs before may fail and be caught (an import reading a malformed file and going on to list
    every problem) without aborting the change. Otherwise the writer begins it before ``apply``."""

    kind: str
    apply: Apply
    forget: Callable[[object], None] | None = None
    begins: bool = False


_changes: dict[str, Change] = {}
_applying = threading.local()


def transaction_left_open() -> bool:
    """Whether the change this thread applies must begin the replica's transaction before its first
    write and leave it open for the writer to commit when publishing (a live ``begins`` change of the
    replicated layout); False elsewhere (a plain store's writer commits what the change commits)."""
    return bool(getattr(_applying, "left_open", False))


@contextlib.contextmanager
def _left_open(flag: bool) -> Iterator[None]:
    _applying.left_open = flag
    try:
        yield
    finally:
        _applying.left_open = False


def change_time() -> "dt.datetime | None":
    """The time of the change this thread is applying to a replica (its first application and
    every replay see the same one: what the engine stamps on history rows), else None."""
    return getattr(_applying, "at", None)


@contextlib.contextmanager
def _change_at(at: dt.datetime) -> Iterator[None]:
    _applying.at = at
    try:
        yield
    finally:
        _applying.at = None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def register_change(change: Change) -> None:
    """Make ``change.kind`` loggable and replayable (each package registers its own at import)."""
    _changes[change.kind] = change


def layout_wanted() -> str:
    return os.environ.get(LAYOUT_ENV, DEFAULT_LAYOUT)


def is_replicated(path: Path | str) -> bool:
    return Path(path).is_symlink()


def replica_paths(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in REPLICA_SUFFIXES]


def published_replica(path: Path) -> Path:
    return path.with_name(os.readlink(path))


def apply(path: Path | str, kind: str, payload: object = None, *, wait: bool = True, timeout: float | None = None,
          create: bool = True, on_wait: Callable[[str], None] | None = None, **options) -> object:
    """Apply one change of a registered ``kind`` and publish it; returns what its ``apply`` returned.

    Replicated layout: in place on the replica nobody reads, logged, then published (a plain store
    is converted first when ``CLAIRVOIE_STORE_LAYOUT=replicas``). Copy layout: through
    :func:`writer`. ``options`` go to the first application only (a progress callback, say).
    """
    path = Path(path)
    change = _changes[kind]
    if path.is_symlink() or (layout_wanted() == "replicas" and path.exists()):
        with _replica_writer(path, wait=wait, timeout=timeout, on_wait=on_wait, begin=not change.begins) as target:
            with _change_at(target.at), _left_open(change.begins):
                result, logged = change.apply(target.con, payload, path, True, **options)
            target.publish(kind, logged)
        # Published. Replay it on the other replica now, so the next write pays only for its own
        # change; skipped when another writer is already waiting (it will do it first).
        # A reader still on it after CATCH_UP_GRACE_SECONDS also defers it (a page's long query).
        with contextlib.suppress(StoreBusy):
            catch_up(path, wait=False, readers_grace=CATCH_UP_GRACE_SECONDS)
        return result
    with writer(path, wait=wait, timeout=timeout, create=create, on_wait=on_wait) as con:
        result, _ = change.apply(con, payload, path, True, **options)
    return result


def replicate(path: Path | str, *, wait: bool = True, timeout: float | None = None) -> bool:
    """Convert the plain store at ``path`` to the replicated layout now (one copy); returns
    whether it converted (False: it already was)."""
    path = Path(path)
    with _exclusive_lock(path, wait, timeout, None):
        if path.is_symlink():
            return False
        if not path.exists():
            raise StoreMissing(f"no store at {path}")
        _convert(path)
    return True


def catch_up(path: Path | str, *, wait: bool = True, timeout: float | None = None,
             readers_grace: float = READER_GRACE_SECONDS) -> int:
    """Replicated layout: bring the replica nobody reads up to date now (what the next write does
    first anyway), so that write pays only for its own change. Returns the seq it holds. Raises
    :class:`StoreBusy` when another writer holds the store and ``wait`` is false, or a reader
    still holds that replica after ``readers_grace`` seconds."""
    path = Path(path)
    if not path.is_symlink():
        return 0
    with _exclusive_lock(path, wait, timeout, None):
        epoch = _epoch(path)
        replica = next(r for r in replica_paths(path) if r != published_replica(path))
        if _still_read_here(replica):  # a page of this process still reads it: never cut it short for this
            raise StoreBusy(f"a reader of this process still holds {replica.name}; the next write replays it")
        con = _open_replica(path, replica, epoch, readers_grace)
        try:
            con, seq = _catch_up(con, path, replica, epoch)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return seq


class _Target:
    """The replica a writer writes: open read-write, caught up with the log, in a transaction."""

    def __init__(self, path: Path, replica: Path, con: duckdb.DuckDBPyConnection, epoch: str, seq: int):
        self.path, self.replica, self.con, self.epoch, self.seq = path, replica, con, epoch, seq
        self.published = False
        self.at = _utc_now()  # the change's time, logged with it

    def publish(self, kind: str, payload: object) -> None:
        """Log the change, commit it, checkpoint, and point the link at this replica."""
        seq = self.seq + 1
        if not in_transaction(self.con):  # a ``begins`` change that wrote nothing
            self.con.execute("BEGIN TRANSACTION")
        sql.execute(self.con, "core/replica/set_seq", {"seq": seq})
        with ops.connect(self.path) as oc, ops.transaction(oc):
            old = ops.fetch_all(oc, "core/store_changes/layout")
            ops.execute(oc, "core/store_changes/append", {
                "epoch": self.epoch, "seq": seq, "kind": kind, "payload": json.dumps(payload),
                "written_at": self.at.isoformat()})
        self.con.execute("COMMIT")
        self.con.execute("CHECKPOINT")
        self.con.close()
        _point(self.path, self.replica)
        self.published = True
        _prune(self.path, self.epoch, old[0][1] if old else 0, seq)


@contextlib.contextmanager
def _replica_writer(path: Path, *, wait: bool, timeout: float | None,
                    on_wait: Callable[[str], None] | None, begin: bool = True) -> Iterator[_Target]:
    with _exclusive_lock(path, wait, timeout, on_wait):
        if not path.is_symlink():
            if not path.exists():
                raise StoreMissing(f"no store at {path}")
            _convert(path)
        epoch = _epoch(path)
        replica = next(r for r in replica_paths(path) if r != published_replica(path))
        con = _open_replica(path, replica, epoch)
        target = None
        try:
            con, seq = _catch_up(con, path, replica, epoch)
            if begin:
                con.execute("BEGIN TRANSACTION")
            target = _Target(path, replica, con, epoch, seq)
            yield target
            if not target.published:
                raise StoreError("a replicated write ended without publishing")
        finally:
            if target is None or not target.published:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                with contextlib.suppress(Exception):
                    con.close()


def _open_replica(path: Path, replica: Path, epoch: str,
                  grace: float = READER_GRACE_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open ``replica`` read-write (waiting up to ``grace`` seconds for readers still on it),
    migrated, of this epoch (else first replaced by a copy of the published replica)."""
    if replica.exists():
        con = _connect_when_free(replica, grace)
        with contextlib.suppress(duckdb.Error):
            state = sql.fetch_all(con, "core/replica/state")
            if state and state[0][0] == epoch:
                migrate(con)
                return con
        con.close()
    _copy_published(path, replica)
    con = _connect_when_free(replica)
    migrate(con)
    return con


def _connect_when_free(replica: Path, grace: float = READER_GRACE_SECONDS) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + grace
    while True:
        _drop_stale_readers()  # this process's own readers of it, if any
        try:
            con = duckdb.connect(str(replica))
        except duckdb.Error as exc:
            if not _held_elsewhere(exc):
                raise
            _close_retired_readers()  # if this very process holds it: by readers left behind
            if time.monotonic() >= deadline:
                raise StoreBusy(f"a reader still holds {replica.name} after {grace:.0f} s; "
                                "nothing was changed, try again") from None
            time.sleep(0.01)
            continue
        # No progress bar: DuckDB draws it on stdout, which belongs to the caller (CSV output…).
        con.execute("SET enable_progress_bar = false")
        return con


def _copy_published(path: Path, replica: Path) -> None:
    tmp = replica.with_name(replica.name + ".tmp")
    shutil.copyfile(published_replica(path), tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    for wal in (replica.with_name(replica.name + ".wal"),):
        with contextlib.suppress(FileNotFoundError):
            wal.unlink()
    os.replace(tmp, replica)
    fsync_dir(path.parent)


def _catch_up(con: duckdb.DuckDBPyConnection, path: Path, replica: Path,
              epoch: str) -> tuple[duckdb.DuckDBPyConnection, int]:
    """Replay on ``replica`` (open on ``con``) the logged changes it lacks; returns the connection
    and the last seq it holds. A change that cannot be replayed makes it a copy of the published
    replica first (which holds every acknowledged change)."""
    seq = int(sql.fetch_all(con, "core/replica/state")[0][1])
    with ops.connect(path) as oc:
        pending = ops.fetch_all(oc, "core/store_changes/since", {"epoch": epoch, "seq": seq})
    if any(kind not in _changes for _, kind, _, _ in pending):
        con.close()
        _copy_published(path, replica)
        con = _connect_when_free(replica)
        migrate(con)
        seq = int(sql.fetch_all(con, "core/replica/state")[0][1])
        with ops.connect(path) as oc:
            pending = ops.fetch_all(oc, "core/store_changes/since", {"epoch": epoch, "seq": seq})
        # Past the published replica only changes of writers killed before publishing remain:
        # never acknowledged; those that cannot be replayed are dropped (their seq is reused).
        pending = [p for p in pending if p[1] in _changes]
    for change_seq, kind, payload, written_at in pending:
        con.execute("BEGIN TRANSACTION")
        try:
            with _change_at(dt.datetime.fromisoformat(written_at)):
                _changes[kind].apply(con, json.loads(payload), path, False)
            sql.execute(con, "core/replica/set_seq", {"seq": change_seq})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        seq = change_seq
    return con, seq


def _point(path: Path, replica: Path) -> None:
    """Atomically make the link ``path`` name ``replica`` (new link, rename, fsync the folder)."""
    tmp = path.with_name(f"{path.name}.link-{os.getpid()}-{threading.get_ident()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(replica.name, tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _epoch(path: Path) -> str:
    with ops.connect(path) as oc:
        rows = ops.fetch_all(oc, "core/store_changes/layout")
    if not rows:
        raise StoreError(f"the replicated store {path} has no layout record in {ops.ops_path(path)}")
    return rows[0][0]


def _seal(file: Path, epoch: str | None) -> None:
    """Make ``file`` ready to be published: migrated, marked the first replica of ``epoch`` (None: a
    plain store), checkpointed and on disk."""
    con = duckdb.connect(str(file))
    try:
        migrate(con)
        if epoch is not None:
            sql.execute(con, "core/replica/create", {"epoch": epoch, "seq": 0})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with open(file, "rb+") as fh:
        os.fsync(fh.fileno())


def _convert(path: Path) -> None:
    """Turn the plain store at ``path`` into the replicated layout (one copy, under the lock):
    a new epoch; ``<store>.r0`` a copy holding ``store_replica``; the link; ``.r1`` is made from
    it at the first write. Killed half-way, ``path`` is still the plain store."""
    epoch = uuid.uuid4().hex
    first = replica_paths(path)[0]
    for leftover in replica_paths(path):
        for extra in (leftover, leftover.with_name(leftover.name + ".wal"), leftover.with_name(leftover.name + ".tmp")):
            with contextlib.suppress(FileNotFoundError):
                extra.unlink()
    tmp = first.with_name(first.name + ".tmp")
    shutil.copyfile(path, tmp)
    _seal(tmp, epoch)
    os.replace(tmp, first)
    with ops.connect(path) as oc, ops.transaction(oc):
        ops.execute(oc, "core/store_changes/set_layout", {"epoch": epoch, "published_seq": 0})
    _point(path, first)


def _prune(path: Path, epoch: str, old_published: int, new_published: int) -> None:
    """Drop the logged changes both replicas hold (the one published before this write holds
    ``old_published``), and the files their payloads name."""
    with ops.connect(path) as oc:
        with ops.transaction(oc):
            ops.execute(oc, "core/store_changes/set_layout", {"epoch": epoch, "published_seq": new_published})
        done = ops.fetch_all(oc, "core/store_changes/older", {"epoch": epoch, "seq": old_published})
        for kind, payload in done:
            change = _changes.get(kind)
            if change is not None and change.forget is not None:
                with contextlib.suppress(Exception):
                    change.forget(json.loads(payload))
        with ops.transaction(oc):
            ops.execute(oc, "core/store_changes/prune", {"epoch": epoch, "seq": old_published})
